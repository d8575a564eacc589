using System.Net.WebSockets;
using HttpSysPS.Engine.Handlers;

namespace HttpSysPS.Engine.Tests.Infrastructure;

/// <summary>A <see cref="TestServer"/> running the sample WebSocket echo (samples/HelloHandler), loaded as users load it.</summary>
internal static class EchoServer
{
    public static Task<TestServer> StartAsync(Func<UrlGroupOptions, UrlGroupOptions>? configureGroup = null, bool fakeClock = false) =>
        TestServer.StartAsync(Handler(), configureGroup, fakeClock: fakeClock);

    public static IRequestHandler Handler() => HandlerLoader.Load(BuildOutputs.HelloHandlerAssembly, "HelloHandler.EchoWebSocketHandler");

    /// <summary>A connected <see cref="ClientWebSocket"/>.</summary>
    public static async Task<ClientWebSocket> ConnectAsync(TestServer server, Action<ClientWebSocketOptions>? configure = null, string path = "/")
    {
        var client = new ClientWebSocket();
        configure?.Invoke(client.Options);
        await client.ConnectAsync(new Uri($"ws://127.0.0.1:{server.Port}{path}"), CancellationToken.None).Bounded();
        return client;
    }

    /// <summary>Receives one whole message.</summary>
    public static async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveMessageAsync(WebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        using var data = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).Bounded();
            data.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, data.ToArray());
            }
        }
    }
}
