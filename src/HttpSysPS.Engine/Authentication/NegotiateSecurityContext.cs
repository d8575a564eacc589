using System.Net;
using System.Net.Security;
using System.Security.Claims;
using System.Security.Principal;

namespace HttpSysPS.Engine.Authentication;

/// <summary>
/// A server handshake through <see cref="NegotiateAuthentication"/>: SSPI on Windows, GSSAPI on Linux and macOS (MIT
/// krb5 with the service keytab from <c>KRB5_KTNAME</c>, gss-ntlmssp for NTLM). No cryptography of our own.
/// </summary>
internal sealed class NegotiateSecurityContext : ISecurityContext
{
    private readonly NegotiateAuthentication _authentication;

    public NegotiateSecurityContext(string package) =>
        _authentication = new NegotiateAuthentication(new NegotiateAuthenticationServerOptions
        {
            Package = package,
            Credential = CredentialCache.DefaultNetworkCredentials,
        });

    public ClaimsIdentity? Identity { get; private set; }

    public string? Package { get; private set; }

    public HandshakeStatus Step(ReadOnlySpan<byte> incoming, out byte[]? outgoing)
    {
        outgoing = _authentication.GetOutgoingBlob(incoming, out var status);
        switch (status)
        {
            case NegotiateAuthenticationStatusCode.ContinueNeeded:
                return HandshakeStatus.ContinueNeeded;

            case NegotiateAuthenticationStatusCode.Completed:
                var remote = _authentication.RemoteIdentity;
                Package = _authentication.Package;
                Identity = ToClaims(remote);
                return HandshakeStatus.Completed;

            case NegotiateAuthenticationStatusCode.GenericFailure:
            case NegotiateAuthenticationStatusCode.Unsupported:
                // GSSAPI failures we cannot tell from bad input (a missing keytab reads the same as a bad ticket), so
                // they are a failed logon for the client; the operator sees them in the docs' troubleshooting section.
                outgoing = null;
                return HandshakeStatus.Failed;

            default:
                // BadBinding, OutOfSequence, MessageAltered, ContextExpired, CredentialsExpired, InvalidCredentials,
                // InvalidToken, UnknownCredentials, QopNotSupported, ImpersonationValidationFailed, TargetUnknown.
                outgoing = null;
                return HandshakeStatus.Failed;
        }
    }

    private static ClaimsIdentity ToClaims(IIdentity remote)
    {
        if (remote is ClaimsIdentity claims)
        {
            // WindowsIdentity on Windows: its group SIDs come along as claims.
            return claims;
        }

        var identity = new ClaimsIdentity(remote.AuthenticationType);
        if (remote.Name is { Length: > 0 } name)
        {
            identity.AddClaim(new Claim(ClaimTypes.Name, name));
        }

        return identity;
    }

    public void Dispose() => _authentication.Dispose();
}
