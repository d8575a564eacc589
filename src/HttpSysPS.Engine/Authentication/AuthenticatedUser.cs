using System.Security.Claims;

namespace HttpSysPS.Engine.Authentication;

/// <summary>Builds the <see cref="ClaimsPrincipal"/> a handler sees in <see cref="Handlers.Request.User"/>.</summary>
internal static class AuthenticatedUser
{
    /// <summary>
    /// A principal whose identity's AuthenticationType is the HTTP scheme (<c>Negotiate</c>, <c>Kerberos</c>, <c>NTLM</c>,
    /// <c>Basic</c>) and whose <see cref="ClaimTypes.AuthenticationMethod"/> claim names the mechanism actually used
    /// (<c>Kerberos</c> or <c>NTLM</c> under Negotiate); group claims (<see cref="ClaimTypes.Role"/>) are kept.
    /// </summary>
    public static ClaimsPrincipal Create(ClaimsIdentity verified, AuthenticationSchemes scheme, string? package)
    {
        var claims = new List<Claim>();
        foreach (var claim in verified.Claims)
        {
            if (claim.Type != ClaimTypes.AuthenticationMethod && claim.Type != verified.NameClaimType && claim.Type != ClaimTypes.Name)
            {
                claims.Add(claim.Type == verified.RoleClaimType && claim.Type != ClaimTypes.Role ? new Claim(ClaimTypes.Role, claim.Value) : claim);
            }
        }

        if (verified.Name is { } name)
        {
            claims.Add(new Claim(ClaimTypes.Name, name));
        }

        claims.Add(new Claim(ClaimTypes.AuthenticationMethod, package ?? AuthorizationHeader.NameOf(scheme)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, AuthorizationHeader.NameOf(scheme), ClaimTypes.Name, ClaimTypes.Role));
    }

    /// <summary>The unauthenticated principal (IsAuthenticated false, no name).</summary>
    public static ClaimsPrincipal Anonymous() => new(new ClaimsIdentity());
}
