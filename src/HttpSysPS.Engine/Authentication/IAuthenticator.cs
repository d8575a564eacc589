using System.Security.Claims;

namespace HttpSysPS.Engine.Authentication;

/// <summary>
/// Checks credentials for the server. The platform one (<see cref="PlatformAuthenticator"/>) uses GSSAPI through
/// <see cref="System.Net.Security.NegotiateAuthentication"/> and PAM; tests pass a fake. Implementations must not log or
/// keep passwords and tokens.
/// </summary>
public interface IAuthenticator
{
    /// <summary>A new server context for <paramref name="scheme"/> (Negotiate, Kerberos or NTLM) on one connection.</summary>
    ISecurityContext CreateContext(AuthenticationSchemes scheme, AuthenticationOptions options);

    /// <summary>
    /// Checks a Basic user name and password; the identity, or null when refused. The password buffer is cleared by the
    /// caller as soon as this completes. May block (PAM delays failures): the server calls it off the connection's thread.
    /// </summary>
    ValueTask<ClaimsIdentity?> CheckPasswordAsync(string userName, ReadOnlyMemory<char> password, AuthenticationOptions options, CancellationToken cancellationToken);
}
