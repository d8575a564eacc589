using System.Buffers.Binary;
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
        outgoing = _authentication.GetOutgoingBlob(ForNtlmDecoder(incoming), out var status);
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

    /// <summary>
    /// gss-ntlmssp (1.2, Debian 12) decodes NTLM messages as if their optional fields were always there: it refuses a
    /// NEGOTIATE_MESSAGE without the 8-byte Version and an AUTHENTICATE_MESSAGE whose payload starts right after the
    /// 64-byte header (no Version, no MIC) - the messages curl's own NTLM sends, valid under MS-NLMP 2.2.1.1 and 2.2.1.3.
    /// The same message in the layout the decoder wants: 8 zero bytes appended to NEGOTIATE; in AUTHENTICATE, 24 zero
    /// bytes (Version + MIC) inserted before the payload and the six payload offsets moved by 24. No signed content
    /// changes: the NTLMv2 proof covers the challenges and the client blob, not the layout; and a zero MIC is not checked
    /// unless the client's AV pairs announce one (clients that send a MIC send these fields already and are untouched).
    /// </summary>
    private static ReadOnlySpan<byte> ForNtlmDecoder(ReadOnlySpan<byte> token)
    {
        if (token.Length < 12 || !token.StartsWith("NTLMSSP\0"u8) || token[9] != 0 || token[10] != 0 || token[11] != 0)
        {
            return token;
        }

        if (token[8] == 1 && token.Length is >= 32 and < 40)
        {
            var padded = new byte[40];
            token.CopyTo(padded);
            return padded;
        }

        const int Header = 64, Inserted = 24;
        if (token[8] != 3 || token.Length < Header)
        {
            return token;
        }

        var lowest = int.MaxValue;
        for (var field = 12; field < 60; field += 8)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(token[field..]);
            var offset = BinaryPrimitives.ReadInt32LittleEndian(token[(field + 4)..]);
            if (length > 0)
            {
                lowest = Math.Min(lowest, offset);
            }
        }

        if (lowest != Header)
        {
            return token;
        }

        var moved = new byte[token.Length + Inserted];
        token[..Header].CopyTo(moved);
        token[Header..].CopyTo(moved.AsSpan(Header + Inserted));
        for (var field = 12; field < 60; field += 8)
        {
            var offset = BinaryPrimitives.ReadInt32LittleEndian(token[(field + 4)..]);
            if (offset >= Header)
            {
                BinaryPrimitives.WriteInt32LittleEndian(moved.AsSpan(field + 4), offset + Inserted);
            }
        }

        return moved;
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
