using System.Net.WebSockets;
using System.Reflection;
using HttpSysPS.Engine.Handlers;
using HttpSysPS.Engine.Http1;

namespace HttpSysPS.Engine.WebSockets;

/// <summary><see cref="RequestContext.AcceptWebSocketAsync"/>: checks the handshake, answers 101, and builds the socket over the connection.</summary>
internal static class WebSocketAcceptor
{
    /// <summary>
    /// <c>WebSocketCreationOptions.KeepAliveTimeout</c> (.NET 9+): with it the keep-alive is a ping the client must
    /// answer, not an unsolicited pong. The engine builds for .NET 8 (PowerShell 7.4), so it is set where the runtime has it.
    /// </summary>
    private static readonly PropertyInfo? KeepAliveTimeout = typeof(WebSocketCreationOptions).GetProperty("KeepAliveTimeout");

    public static async Task<WebSocket> AcceptAsync(RequestContext context, string? subProtocol, WebSocketOptions? options)
    {
        if (context.Upgrade is not { } upgrade || !WebSocketHandshake.IsUpgradeRequest(context.Request))
        {
            throw new InvalidOperationException("The request is not a WebSocket upgrade request (see RequestContext.IsWebSocketRequest).");
        }

        var request = context.Request;
        if (WebSocketHandshake.Check(request) is { } rejection)
        {
            throw new RequestRejectedException(rejection, "The WebSocket handshake is invalid: " + ErrorPages.Describe(rejection).Message);
        }

        if (context.WebSocket is not null || !upgrade.CanUpgrade)
        {
            throw new InvalidOperationException("The response has already started: the request can no longer be upgraded.");
        }

        if (subProtocol is not null && !WebSocketHandshake.OfferedSubProtocols(request).Contains(subProtocol, StringComparer.Ordinal))
        {
            throw new ArgumentException($"The client did not offer the subprotocol '{subProtocol}'.", nameof(subProtocol));
        }

        options ??= context.Listener.Options.WebSockets;
        var deflate = options.EnableCompression ? DeflateNegotiation.Negotiate(request.Headers.GetValues("Sec-WebSocket-Extensions")) : null;
        var response = context.Response;
        response.StatusCode = 101;
        response.Headers["Upgrade"] = "websocket";
        response.Headers["Sec-WebSocket-Accept"] = WebSocketHandshake.AcceptValue(request.Headers["Sec-WebSocket-Key"]!);
        if (subProtocol is not null)
        {
            response.Headers["Sec-WebSocket-Protocol"] = subProtocol;
        }

        if (deflate is { } accepted)
        {
            response.Headers["Sec-WebSocket-Extensions"] = accepted.Response;
        }

        var upgradeRequest = new WebSocketUpgradeRequest(request);
        var stream = upgrade.Upgrade(options.IdleTimeout);
        var creation = new WebSocketCreationOptions
        {
            IsServer = true,
            SubProtocol = subProtocol,
            KeepAliveInterval = options.KeepAliveInterval,
            DangerousDeflateOptions = deflate?.Options,
        };
        if (options.IdleTimeout is { } idle && options.KeepAliveInterval > TimeSpan.Zero)
        {
            KeepAliveTimeout?.SetValue(creation, idle);
        }

        var registry = context.Listener.WebSockets;
        var socket = new HttpSysWebSocket(WebSocket.CreateFromStream(new UnmaskedFrameGuard(stream), creation), request.RequestId, context.Listener.Name, upgradeRequest, options, upgrade, registry)
        {
            IsCompressed = deflate is not null,
        };
        context.WebSocket = socket;
        registry.Add(socket);

        // The 101 goes out once the socket is listed: a client that sees it connected finds it in the registry.
        await stream.FlushAsync().ConfigureAwait(false);
        return socket;
    }
}
