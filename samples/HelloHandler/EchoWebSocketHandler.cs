using System.Buffers;
using System.Net.WebSockets;
using HttpSysPS.Engine.Handlers;

namespace HelloHandler;

/// <summary>
/// A WebSocket echo (the WebSocket benchmark's handler and the tests' peer): every message comes back as it came,
/// text or binary, piece by piece; a close is echoed with its code. A plain HTTP request gets a 400 that says so.
/// </summary>
public sealed class EchoWebSocketHandler : IRequestHandler
{
    public async ValueTask HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        if (!context.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync("This is a WebSocket echo: connect with a WebSocket client.\n", cancellationToken);
            return;
        }

        var offered = context.Request.Headers["Sec-WebSocket-Protocol"];
        var subProtocol = offered?.Split(',', StringSplitOptions.TrimEntries).FirstOrDefault(p => p == "echo");
        using var socket = await context.AcceptWebSocketAsync(subProtocol);
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    // RFC 6455 §5.5.1: answer with the client's code (an empty close with an empty one).
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        var code = socket.CloseStatus ?? WebSocketCloseStatus.Empty;
                        await socket.CloseOutputAsync(code, code == WebSocketCloseStatus.Empty ? null : socket.CloseStatusDescription, cancellationToken);
                    }

                    return;
                }

                await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
