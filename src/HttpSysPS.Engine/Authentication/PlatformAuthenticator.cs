using System.Security.Claims;

namespace HttpSysPS.Engine.Authentication;

/// <summary>
/// The platform's mechanisms: Negotiate, Kerberos and NTLM through <see cref="System.Net.Security.NegotiateAuthentication"/>
/// (GSSAPI here), Basic through PAM (<see cref="PamPasswordCheck"/>). Stateless.
/// </summary>
public sealed class PlatformAuthenticator : IAuthenticator
{
    /// <summary>The one instance (it holds nothing).</summary>
    public static PlatformAuthenticator Instance { get; } = new();

    private PlatformAuthenticator()
    {
    }

    /// <inheritdoc />
    public ISecurityContext CreateContext(AuthenticationSchemes scheme, AuthenticationOptions options) => new NegotiateSecurityContext(scheme switch
    {
        AuthenticationSchemes.Negotiate => "Negotiate",
        AuthenticationSchemes.Kerberos => "Kerberos",
        AuthenticationSchemes.NTLM => "NTLM",
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Negotiate, Kerberos or NTLM expected."),
    });

    /// <inheritdoc />
    public ValueTask<ClaimsIdentity?> CheckPasswordAsync(string userName, ReadOnlyMemory<char> password, AuthenticationOptions options, CancellationToken cancellationToken) =>
        new(Task.Run(() => PamPasswordCheck.Check(options.PamServiceName, userName, password.Span), cancellationToken));
}
