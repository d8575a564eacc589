using System.Net.WebSockets;
using System.Text;

namespace HttpSysPS.PowerShell.Tests.Infrastructure;

/// <summary>
/// A <see cref="ClientWebSocket"/> (the BCL's client, which nobody here wrote) connected to a listener, with whole-message
/// send and receive. Receives are guarded against hangs only; a close from the server is answered with its own code,
/// as a browser does.
/// </summary>
public sealed class WebSocketClient : IDisposable
{
    // A hang guard only: the tests wait for messages, never for time.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private WebSocketClient(ClientWebSocket socket) => Socket = socket;

    /// <summary>The client socket (CloseStatus, SubProtocol, State).</summary>
    public ClientWebSocket Socket { get; }

    /// <summary>Connects to a listener's bound URL (http:// becomes ws://) offering <paramref name="subProtocols"/>.</summary>
    public static async Task<WebSocketClient> ConnectAsync(string url, params string[] subProtocols)
    {
        var socket = new ClientWebSocket();
        foreach (var subProtocol in subProtocols)
        {
            socket.Options.AddSubProtocol(subProtocol);
        }

        using var guard = new CancellationTokenSource(Guard);
        await socket.ConnectAsync(new Uri("ws" + url["http".Length..]), guard.Token);
        return new WebSocketClient(socket);
    }

    /// <summary>Sends a text message.</summary>
    public Task SendAsync(string text) => Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Sends a binary message.</summary>
    public Task SendAsync(byte[] bytes) => Socket.SendAsync(bytes, WebSocketMessageType.Binary, true, CancellationToken.None);

    /// <summary>The next whole message; a close is answered and returned with type Close.</summary>
    public async Task<(WebSocketMessageType Type, byte[] Payload)> ReceiveAsync()
    {
        using var guard = new CancellationTokenSource(Guard);
        var message = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var result = await Socket.ReceiveAsync(buffer, guard.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (Socket.State == WebSocketState.CloseReceived)
                {
                    await Socket.CloseOutputAsync(Socket.CloseStatus ?? WebSocketCloseStatus.Empty, Socket.CloseStatusDescription, guard.Token);
                }

                return (WebSocketMessageType.Close, []);
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }

    /// <summary>The next message, which must be text.</summary>
    public async Task<string> ReceiveTextAsync()
    {
        var (type, payload) = await ReceiveAsync();
        Assert.True(type == WebSocketMessageType.Text, $"Expected a text message, got {type} (close status {Socket.CloseStatus}).");
        return Encoding.UTF8.GetString(payload);
    }

    /// <summary>Closes with 1000 and waits for the server's answer.</summary>
    public async Task CloseAsync()
    {
        using var guard = new CancellationTokenSource(Guard);
        await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, guard.Token);
    }

    public void Dispose() => Socket.Dispose();
}
