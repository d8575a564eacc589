using System.Net.WebSockets;
using System.Text;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.WebSockets;

/// <summary>The sample echo handler with the BCL's own client: messages, fragments, compression, many sockets at once.</summary>
public sealed class EchoTests
{
    [Theory]
    [InlineData(WebSocketMessageType.Text, 5)]
    [InlineData(WebSocketMessageType.Binary, 64)]
    [InlineData(WebSocketMessageType.Binary, 200_000)]
    public async Task A_message_comes_back_whole_with_its_type(WebSocketMessageType type, int size)
    {
        await using var server = await EchoServer.StartAsync();
        using var client = await EchoServer.ConnectAsync(server);
        var message = Enumerable.Range(0, size).Select(i => (byte)('a' + (i % 26))).ToArray();

        await client.SendAsync(message, type, true, CancellationToken.None).Bounded();
        var (receivedType, data) = await EchoServer.ReceiveMessageAsync(client);

        Assert.Equal(type, receivedType);
        Assert.Equal(message, data);
    }

    [Fact]
    public async Task A_fragmented_message_comes_back_as_one_message()
    {
        await using var server = await EchoServer.StartAsync();
        using var client = await EchoServer.ConnectAsync(server);

        await client.SendAsync("Hello, "u8.ToArray(), WebSocketMessageType.Text, false, CancellationToken.None).Bounded();
        await client.SendAsync("wor"u8.ToArray(), WebSocketMessageType.Text, false, CancellationToken.None).Bounded();
        await client.SendAsync("ld"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None).Bounded();
        var (_, data) = await EchoServer.ReceiveMessageAsync(client);

        Assert.Equal("Hello, world", Encoding.UTF8.GetString(data));
    }

    [Fact]
    public async Task The_client_close_is_echoed_with_its_code()
    {
        await using var server = await EchoServer.StartAsync();
        using var client = await EchoServer.ConnectAsync(server);

        await client.CloseAsync((WebSocketCloseStatus)4001, "bye", CancellationToken.None).Bounded();

        Assert.Equal(WebSocketState.Closed, client.State);
        Assert.Equal((WebSocketCloseStatus)4001, client.CloseStatus);
        Assert.Equal("bye", client.CloseStatusDescription);
    }

    [Fact]
    public async Task Permessage_deflate_is_negotiated_when_the_listener_enables_it()
    {
        await using var server = await EchoServer.StartAsync(g => g with { WebSockets = g.WebSockets with { EnableCompression = true } });
        using var client = await EchoServer.ConnectAsync(server, o => o.DangerousDeflateOptions = new WebSocketDeflateOptions { ClientMaxWindowBits = 12, ServerContextTakeover = false });
        var message = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("compressible text ", 2000)));

        await client.SendAsync(message, WebSocketMessageType.Text, true, CancellationToken.None).Bounded();
        var (_, data) = await EchoServer.ReceiveMessageAsync(client);

        Assert.Equal(message, data);
        var socket = Assert.Single(server.Group.WebSockets.GetAll());
        Assert.True(socket.IsCompressed);
    }

    [Fact]
    public async Task Without_compression_enabled_an_offer_is_declined()
    {
        await using var server = await EchoServer.StartAsync();
        await using var raw = await server.ConnectAsync();
        var response = await raw.RoundTripAsync(WebSocketFrames.UpgradeRequest(extra: "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"));

        Assert.Equal(101, response.StatusCode);
        Assert.Null(response.Header("Sec-WebSocket-Extensions"));
    }

    [Theory]
    [InlineData("permessage-deflate; client_max_window_bits", "permessage-deflate")]
    [InlineData("permessage-deflate; server_no_context_takeover; client_max_window_bits=10", "permessage-deflate; server_no_context_takeover; client_max_window_bits=10")]
    [InlineData("permessage-deflate; server_max_window_bits=8, permessage-deflate", "permessage-deflate")] // 8 is beyond zlib: the next offer
    [InlineData("permessage-deflate; unknown_param", null)]
    [InlineData("permessage-deflate; server_no_context_takeover; server_no_context_takeover", null)]
    [InlineData("x-webkit-deflate-frame", null)]
    public async Task The_deflate_answer_follows_RFC_7692(string offer, string? answer)
    {
        await using var server = await EchoServer.StartAsync(g => g with { WebSockets = g.WebSockets with { EnableCompression = true } });
        await using var raw = await server.ConnectAsync();
        var response = await raw.RoundTripAsync(WebSocketFrames.UpgradeRequest(extra: $"Sec-WebSocket-Extensions: {offer}\r\n"));

        Assert.Equal(101, response.StatusCode);
        Assert.Equal(answer, response.Header("Sec-WebSocket-Extensions"));
    }

    [Fact]
    public async Task Ten_thousand_messages_in_flight_on_a_hundred_sockets_come_back_complete_and_in_order()
    {
        const int Sockets = 100, Messages = 100;
        await using var server = await EchoServer.StartAsync(g => g with { MaxConcurrentRequests = 4 });
        var clients = await Task.WhenAll(Enumerable.Range(0, Sockets).Select(_ => EchoServer.ConnectAsync(server)));
        try
        {
            await Task.WhenAll(clients.Select((client, c) => ExchangeAsync(client, c)));
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }

        async Task ExchangeAsync(ClientWebSocket client, int c)
        {
            // All sends first (in flight together), then every answer, checked in order.
            var sending = Task.Run(async () =>
            {
                for (var m = 0; m < Messages; m++)
                {
                    await client.SendAsync(Encoding.UTF8.GetBytes($"{c}:{m}"), WebSocketMessageType.Text, true, CancellationToken.None);
                }
            });
            for (var m = 0; m < Messages; m++)
            {
                var (_, data) = await EchoServer.ReceiveMessageAsync(client);
                Assert.Equal($"{c}:{m}", Encoding.UTF8.GetString(data));
            }

            await sending.Bounded();
            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).Bounded();
        }
    }
}
