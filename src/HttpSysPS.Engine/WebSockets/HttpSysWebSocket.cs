using System.Net;
using System.Net.WebSockets;
using HttpSysPS.Engine.Requests;

namespace HttpSysPS.Engine.WebSockets;

/// <summary>
/// An accepted WebSocket: the BCL's RFC 6455 implementation (framing, masking, UTF-8 and close-code checks, ping
/// answers) with what a server adds around it — the listener's message-size limit (1009), a bounded close handshake,
/// the close a stopping listener sends (1001), and the identity a session needs to find it again.
/// </summary>
public sealed class HttpSysWebSocket : WebSocket
{
    private readonly WebSocket _inner;
    private readonly IRequestUpgrade _connection;
    private readonly WebSocketRegistry _registry;
    private readonly WebSocketOptions _options;
    private long _messageBytes;
    private WebSocketCloseStatus? _refusedWith;

    internal HttpSysWebSocket(WebSocket inner, ulong id, string listener, WebSocketUpgradeRequest request, WebSocketOptions options,
        IRequestUpgrade connection, WebSocketRegistry registry)
    {
        _inner = inner;
        Id = id;
        Listener = listener;
        Request = request;
        _options = options;
        _connection = connection;
        _registry = registry;
        ConnectedAt = connection.Time.GetUtcNow();
    }

    /// <summary>The id of the upgrade request, unique in the server.</summary>
    public ulong Id { get; }

    /// <summary>The name of the listener the socket belongs to.</summary>
    public string Listener { get; }

    /// <summary>The upgrade request.</summary>
    public WebSocketUpgradeRequest Request { get; }

    /// <summary>The client's address.</summary>
    public EndPoint? RemoteEndPoint => Request.RemoteEndPoint;

    /// <summary>When the upgrade completed.</summary>
    public DateTimeOffset ConnectedAt { get; }

    /// <summary>True when permessage-deflate was negotiated.</summary>
    public bool IsCompressed { get; internal init; }

    /// <inheritdoc />
    public override WebSocketCloseStatus? CloseStatus => _refusedWith ?? _inner.CloseStatus;

    /// <inheritdoc />
    public override string? CloseStatusDescription => _refusedWith is null ? _inner.CloseStatusDescription : "Message too big";

    /// <inheritdoc />
    public override WebSocketState State => _inner.State;

    /// <inheritdoc />
    public override string? SubProtocol => _inner.SubProtocol;

    /// <inheritdoc />
    public override void Abort()
    {
        _inner.Abort();
        _connection.Abort();
    }

    /// <summary>Sends a close and waits for the client's, at most the listener's CloseTimeout; a client that does not answer is dropped.</summary>
    public override async Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        using var timeout = LinkedCloseTimeout(cancellationToken);
        try
        {
            await _inner.CloseAsync(closeStatus, statusDescription, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The client did not close in time: the connection goes; the close is done as far as the server cares.
            _connection.Abort();
        }
    }

    /// <inheritdoc />
    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        _inner.CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    /// <inheritdoc />
    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        var result = await _inner.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (result.MessageType != WebSocketMessageType.Close && await RefusedAsTooBigAsync(result.Count, result.EndOfMessage).ConfigureAwait(false))
        {
            return new WebSocketReceiveResult(0, WebSocketMessageType.Close, true, WebSocketCloseStatus.MessageTooBig, CloseStatusDescription);
        }

        return result;
    }

    /// <inheritdoc />
    public override async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var result = await _inner.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (result.MessageType != WebSocketMessageType.Close && await RefusedAsTooBigAsync(result.Count, result.EndOfMessage).ConfigureAwait(false))
        {
            return new ValueWebSocketReceiveResult(0, WebSocketMessageType.Close, true);
        }

        return result;
    }

    /// <inheritdoc />
    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        _inner.SendAsync(buffer, messageType, endOfMessage, cancellationToken);

    /// <inheritdoc />
    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        _inner.SendAsync(buffer, messageType, endOfMessage, cancellationToken);

    /// <inheritdoc />
    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, WebSocketMessageFlags messageFlags, CancellationToken cancellationToken) =>
        _inner.SendAsync(buffer, messageType, messageFlags, cancellationToken);

    /// <summary>The socket stays usable until its handler returns; disposing it early only releases the BCL's state.</summary>
    public override void Dispose() => _inner.Dispose();

    /// <summary>The listener stops: a 1001 goes out, and a client that has not closed within CloseTimeout is dropped.</summary>
    internal async Task CloseForStopAsync()
    {
        if (State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        // Armed before the close goes out, so the client's answer is always measured against it.
        var deadline = Task.Delay(_options.CloseTimeout, _connection.Time);
        try
        {
            using var timeout = LinkedCloseTimeout(CancellationToken.None);
            await _inner.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "Server stopping", timeout.Token).ConfigureAwait(false);
            await deadline.ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The connection went meanwhile.
        }

        if (State != WebSocketState.Closed)
        {
            _connection.Abort();
        }
    }

    /// <summary>
    /// The handler returned: whatever it left open is closed the way RFC 6455 §5.5.1 asks — a received close is echoed,
    /// an open socket is closed (1000, or 1011 when the handler failed) and the client's close awaited within CloseTimeout.
    /// </summary>
    internal async ValueTask FinishAsync(bool handlerFailed)
    {
        try
        {
            switch (State)
            {
                case WebSocketState.CloseReceived:
                    var echo = _inner.CloseStatus ?? WebSocketCloseStatus.Empty;
                    await _inner.CloseOutputAsync(echo, echo == WebSocketCloseStatus.Empty ? null : _inner.CloseStatusDescription, CancellationToken.None).ConfigureAwait(false);
                    break;
                case WebSocketState.Open:
                case WebSocketState.CloseSent:
                    await CloseAsync(handlerFailed ? WebSocketCloseStatus.InternalServerError : WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            _connection.Abort();
        }
        finally
        {
            _registry.Remove(this);
            _inner.Dispose();
        }
    }

    /// <summary>Counts a received piece against MaxMessageSize; over it, a 1009 goes out and the receiver is told the socket closes.</summary>
    private async ValueTask<bool> RefusedAsTooBigAsync(int count, bool endOfMessage)
    {
        _messageBytes += count;
        var tooBig = _options.MaxMessageSize is { } max && _messageBytes > max;
        if (endOfMessage)
        {
            _messageBytes = 0;
        }

        if (!tooBig)
        {
            return false;
        }

        _refusedWith = WebSocketCloseStatus.MessageTooBig;
        await _inner.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "Message too big", CancellationToken.None).ConfigureAwait(false);
        return true;
    }

    /// <summary>Cancels at the caller's token or after CloseTimeout on the server's clock, whichever comes first.</summary>
    private CloseTimer LinkedCloseTimeout(CancellationToken cancellationToken) => new(_options.CloseTimeout, _connection.Time, cancellationToken);

    private sealed class CloseTimer : IDisposable
    {
        private readonly CancellationTokenSource _timer;
        private readonly CancellationTokenSource _linked;

        public CloseTimer(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
        {
            _timer = new CancellationTokenSource(timeout, time);
            _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timer.Token);
        }

        public CancellationToken Token => _linked.Token;

        public void Dispose()
        {
            _linked.Dispose();
            _timer.Dispose();
        }
    }
}
