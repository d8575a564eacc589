using System.Security.Claims;

namespace HttpSysPS.Engine.Authentication;

/// <summary>
/// The server side of one connection-based handshake (Negotiate, Kerberos, NTLM). Kept by the connection between legs,
/// never shared with another connection, disposed when the handshake ends or the connection closes.
/// </summary>
public interface ISecurityContext : IDisposable
{
    /// <summary>Consumes the client's token; returns where the handshake stands and the token to send back (or null).</summary>
    HandshakeStatus Step(ReadOnlySpan<byte> incoming, out byte[]? outgoing);

    /// <summary>After <see cref="HandshakeStatus.Completed"/>: the authenticated client.</summary>
    ClaimsIdentity? Identity { get; }

    /// <summary>After completion: the mechanism that was used (<c>Kerberos</c> or <c>NTLM</c>).</summary>
    string? Package { get; }
}
