using System.Net.WebSockets;
using HttpSysPS.Engine.Requests;
using HttpSysPS.Engine.WebSockets;

namespace HttpSysPS.Engine.Handlers;

/// <summary>One request/response exchange, handed to an <see cref="IRequestHandler"/>.</summary>
public sealed class RequestContext
{
    private Dictionary<object, object?>? _items;

    internal RequestContext(Request request, Response response, UrlGroup listener)
    {
        Request = request;
        Response = response;
        Listener = listener;
    }

    /// <summary>The request.</summary>
    public Request Request { get; }

    /// <summary>The response.</summary>
    public Response Response { get; }

    /// <summary>The listener (URL group) the request was routed to.</summary>
    public UrlGroup Listener { get; internal set; }

    /// <summary>Fires when the server aborts the connection (see <see cref="IRequestHandler.HandleAsync"/> for client disconnects).</summary>
    public CancellationToken RequestAborted { get; internal set; }

    /// <summary>Per-request state a handler may keep.</summary>
    public IDictionary<object, object?> Items => _items ??= new Dictionary<object, object?>();

    /// <summary>True when the request asks to become a WebSocket (GET over HTTP/1.1 with <c>Connection: Upgrade</c> and
    /// <c>Upgrade: websocket</c>) on a protocol that can switch; <see cref="AcceptWebSocketAsync"/> checks the rest of the handshake.</summary>
    public bool IsWebSocketRequest => Upgrade is not null && WebSocketHandshake.IsUpgradeRequest(Request);

    /// <summary>
    /// Accepts the WebSocket upgrade: checks the handshake (a bad or missing <c>Sec-WebSocket-Key</c> throws a
    /// <see cref="Http1.RequestRejectedException"/> that answers 400, a version other than 13 one that answers 426),
    /// sends the 101 with <paramref name="subProtocol"/> (one the client offered) and, when enabled and offered,
    /// permessage-deflate, and returns the socket. The handler then owns it until it returns; whatever it leaves open is
    /// closed then. <paramref name="options"/> default to the listener's <see cref="UrlGroupOptions.WebSockets"/>.
    /// </summary>
    public Task<WebSocket> AcceptWebSocketAsync(string? subProtocol = null, WebSocketOptions? options = null) =>
        WebSocketAcceptor.AcceptAsync(this, subProtocol, options);

    /// <summary>How the request can leave HTTP, or null where its protocol cannot.</summary>
    internal IRequestUpgrade? Upgrade { get; set; }

    /// <summary>The socket <see cref="AcceptWebSocketAsync"/> returned for this request.</summary>
    internal HttpSysWebSocket? WebSocket { get; set; }

    internal void Reset()
    {
        _items = null;
        WebSocket = null;
    }
}
