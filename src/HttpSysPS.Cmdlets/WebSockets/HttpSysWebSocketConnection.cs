using System.Net;
using System.Net.WebSockets;
using HttpSysPS.Engine.WebSockets;

namespace HttpSysPS.Cmdlets.WebSockets;

/// <summary>
/// An open WebSocket as PowerShell sees it: <c>$WebSocket</c> in a <c>-WebSocketScriptBlock</c>, and what
/// Get-HttpSysWebSocket writes. A thin view of the engine's <see cref="HttpSysWebSocket"/> with synchronous
/// <see cref="Send(string)"/> and <see cref="Close()"/> for scripts; its <see cref="Id"/> and <see cref="Listener"/>
/// find the socket again from any runspace of the session.
/// </summary>
/// <remarks>
/// Sends are whole messages, so they may come from several threads at once (the socket's script, a broadcast, another
/// runspace): the BCL's socket sends one message after the other, never interleaving their frames.
/// </remarks>
public sealed class HttpSysWebSocketConnection
{
    internal HttpSysWebSocketConnection(HttpSysWebSocket socket) => Socket = socket;

    /// <summary>The socket's id (its upgrade request's id), unique in the session's server.</summary>
    public ulong Id => Socket.Id;

    /// <summary>The name of the listener that accepted it.</summary>
    public string Listener => Socket.Listener;

    /// <summary>The client's address.</summary>
    public EndPoint? RemoteEndPoint => Socket.RemoteEndPoint;

    /// <summary>The negotiated subprotocol, or null.</summary>
    public string? SubProtocol => Socket.SubProtocol;

    /// <summary>The upgrade request: RawUrl, Path, QueryString, Host, Headers, GetHeader(name), RemoteEndPoint, IsSecure.</summary>
    public WebSocketUpgradeRequest Request => Socket.Request;

    /// <summary>When the upgrade completed (UTC).</summary>
    public DateTimeOffset ConnectedAt => Socket.ConnectedAt;

    /// <summary>Open, CloseSent, CloseReceived, Closed or Aborted.</summary>
    public WebSocketState State => Socket.State;

    /// <summary>True when permessage-deflate was negotiated.</summary>
    public bool IsCompressed => Socket.IsCompressed;

    /// <summary>The close code once a close was received or refused (1009), else null.</summary>
    public WebSocketCloseStatus? CloseStatus => Socket.CloseStatus;

    internal HttpSysWebSocket Socket { get; }

    /// <summary>Sends <paramref name="text"/> as a text message.</summary>
    public void Send(string text) => Send((object)text);

    /// <summary>Sends <paramref name="bytes"/> as a binary message.</summary>
    public void Send(byte[] bytes) => Send((object)bytes);

    /// <summary>Sends <paramref name="value"/>: a string as text, a byte[] as binary, anything else as a text message of its JSON.</summary>
    public void Send(object? value)
    {
        var (payload, type) = WebSocketMessages.Encode(value);
        SendAsync(payload, type, CancellationToken.None).GetAwaiter().GetResult();
    }

    /// <summary>Closes the socket with 1000 (normal closure); see <see cref="Close(int, string)"/>.</summary>
    public void Close() => Close((int)WebSocketCloseStatus.NormalClosure, null);

    /// <summary>
    /// Sends a close with <paramref name="status"/> (1000–1003, 1007–1014 or 3000–4999) and <paramref name="reason"/>
    /// (at most 123 UTF-8 bytes), and waits for the client's close at most the listener's WebSocket close timeout; a
    /// client that does not answer is dropped. Closing a socket that is no longer open does nothing.
    /// </summary>
    public void Close(int status, string? reason) => CloseAsync(status, reason, CancellationToken.None).GetAwaiter().GetResult();

    /// <inheritdoc />
    public override string ToString() => $"WebSocket {Id} ({RemoteEndPoint}, listener '{Listener}')";

    /// <summary>Sends one whole message; a socket that is not open (any more) is an <see cref="InvalidOperationException"/>.</summary>
    internal async Task SendAsync(ReadOnlyMemory<byte> payload, WebSocketMessageType type, CancellationToken cancellationToken)
    {
        if (Socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            throw NotOpen();
        }

        try
        {
            await Socket.SendAsync(payload, type, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            throw NotOpen(e);
        }
    }

    internal async Task CloseAsync(int status, string? reason, CancellationToken cancellationToken)
    {
        if (!IsSendableCloseStatus(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status,
                "A close status must be 1000-1003, 1007-1014 or 3000-4999 (RFC 6455 §7.4: 1004-1006 and 1015 are never sent).");
        }

        if (Socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        try
        {
            await Socket.CloseAsync((WebSocketCloseStatus)status, reason, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
            // The connection went meanwhile: it is closed either way.
        }
    }

    /// <summary>The codes an endpoint may send (RFC 6455 §7.4.1, §7.4.2; 1012–1014 from the IANA registry).</summary>
    internal static bool IsSendableCloseStatus(int status) => status is (>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999);

    private InvalidOperationException NotOpen(Exception? inner = null) =>
        new($"WebSocket {Id} of listener '{Listener}' is not open (its state is {Socket.State}).", inner);
}
