using System.Net;
using System.Net.WebSockets;
using System.Text;
using HttpSysPS.Engine.Tests.Infrastructure;
using static HttpSysPS.Engine.Tests.Infrastructure.WebSocketFrames;

namespace HttpSysPS.Engine.Tests.WebSockets;

/// <summary>RFC 6455 §4.2 opening handshake, as the sample echo handler accepts it.</summary>
public sealed class HandshakeTests
{
    [Fact]
    public async Task A_valid_handshake_is_answered_101_with_the_accept_value_of_the_key()
    {
        await using var server = await EchoServer.StartAsync();
        await using var client = await server.ConnectAsync();
        var response = await client.RoundTripAsync(UpgradeRequest());

        Assert.Equal("HTTP/1.1 101 Switching Protocols", response.StatusLine);
        Assert.Equal(SampleAccept, response.Header("Sec-WebSocket-Accept"));
        Assert.Equal("websocket", response.Header("Upgrade"));
        Assert.Equal("Upgrade", response.Header("Connection"));
        Assert.Null(response.Header("Content-Length"));
        Assert.Null(response.Header("Transfer-Encoding"));
    }

    [Theory]
    [InlineData(null)] // missing
    [InlineData("dGhlIHNhbXBsZQ==")] // 11 bytes, not 16
    [InlineData("not base64 at all!!!!!!=")]
    [InlineData("dGhlIHNhbXBsZSBub25jZQ==dGhlIHNhbXBsZSBub25jZQ==")] // 32 bytes
    public async Task A_missing_or_malformed_key_gets_400(string? key)
    {
        await using var server = await EchoServer.StartAsync();
        await using var client = await server.ConnectAsync();
        var response = await client.RoundTripAsync(UpgradeRequest(key: key));

        Assert.Equal(400, response.StatusCode);
        Assert.Contains("The WebSocket handshake is invalid.", Encoding.ASCII.GetString(response.Body));
        Assert.Null(response.Header("Sec-WebSocket-Accept"));
    }

    [Fact]
    public async Task Two_keys_get_400()
    {
        await using var server = await EchoServer.StartAsync();
        await using var client = await server.ConnectAsync();
        var response = await client.RoundTripAsync(UpgradeRequest(extra: $"Sec-WebSocket-Key: {SampleKey}\r\n"));

        Assert.Equal(400, response.StatusCode);
    }

    [Theory]
    [InlineData("8")]
    [InlineData("14")]
    [InlineData("13, 8")]
    public async Task A_version_other_than_13_gets_426_naming_13(string version)
    {
        await using var server = await EchoServer.StartAsync();
        await using var client = await server.ConnectAsync();
        var response = await client.RoundTripAsync(UpgradeRequest(version: version));

        Assert.Equal(426, response.StatusCode);
        Assert.Equal("13", response.Header("Sec-WebSocket-Version"));
    }

    [Fact]
    public async Task A_request_without_the_upgrade_headers_is_plain_HTTP_for_the_handler()
    {
        await using var server = await EchoServer.StartAsync();
        using var http = server.CreateClient();
        var response = await http.GetAsync("/").Bounded();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("WebSocket echo", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_upgrade_with_a_body_gets_400()
    {
        var seen = new TaskCompletionSource<bool>();
        await using var server = await TestServer.StartAsync(new DelegateHandler(async (context, _) =>
        {
            seen.TrySetResult(context.IsWebSocketRequest);
            await context.AcceptWebSocketAsync();
        }));
        await using var client = await server.ConnectAsync();
        var response = await client.RoundTripAsync(UpgradeRequest(extra: "Content-Length: 3\r\n") + "abc");

        Assert.True(await seen.Task.Bounded());
        Assert.Equal(400, response.StatusCode);
    }

    [Fact]
    public async Task A_POST_with_upgrade_headers_is_not_a_websocket_request()
    {
        var seen = new TaskCompletionSource<bool>();
        await using var server = await TestServer.StartAsync(new DelegateHandler((context, _) =>
        {
            seen.TrySetResult(context.IsWebSocketRequest);
            return ValueTask.CompletedTask;
        }));
        await using var client = await server.ConnectAsync();
        var response = await client.RoundTripAsync(UpgradeRequest().Replace("GET ", "POST ").Replace("\r\n\r\n", "\r\nContent-Length: 0\r\n\r\n"));

        Assert.False(await seen.Task.Bounded());
        Assert.Equal(200, response.StatusCode);
    }

    [Fact]
    public async Task The_subprotocol_chosen_is_answered_and_one_not_offered_is_refused()
    {
        await using var server = await EchoServer.StartAsync();
        using var chosen = await EchoServer.ConnectAsync(server, o => { o.AddSubProtocol("chat"); o.AddSubProtocol("echo"); });
        Assert.Equal("echo", chosen.SubProtocol);

        using var none = await EchoServer.ConnectAsync(server, o => o.AddSubProtocol("chat"));
        Assert.Null(none.SubProtocol);

        var refused = new TaskCompletionSource<Exception>();
        await using var strict = await TestServer.StartAsync(new DelegateHandler(async (context, _) =>
        {
            try
            {
                await context.AcceptWebSocketAsync("mqtt");
            }
            catch (ArgumentException e)
            {
                refused.TrySetResult(e);
                throw;
            }
        }));
        await using var client = await strict.ConnectAsync();
        var response = await client.RoundTripAsync(UpgradeRequest(extra: "Sec-WebSocket-Protocol: chat\r\n"));

        Assert.Contains("mqtt", (await refused.Task.Bounded()).Message);
        Assert.Equal(500, response.StatusCode);
    }

    [Fact]
    public async Task Accepting_a_plain_request_throws_and_the_handler_can_answer()
    {
        await using var server = await TestServer.StartAsync(new DelegateHandler(async (context, _) =>
        {
            var e = await Assert.ThrowsAsync<InvalidOperationException>(() => context.AcceptWebSocketAsync());
            context.Response.StatusCode = 418;
            await context.Response.WriteAsync(e.Message);
        }));
        using var http = server.CreateClient();
        var response = await http.GetAsync("/").Bounded();

        Assert.Equal((HttpStatusCode)418, response.StatusCode);
        Assert.Contains("not a WebSocket upgrade request", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_upgrade_is_logged_as_101_when_the_socket_ends()
    {
        await using var server = await EchoServer.StartAsync(g => g with { });
        using (var client = await EchoServer.ConnectAsync(server))
        {
            await client.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None).Bounded();
            await EchoServer.ReceiveMessageAsync(client);
            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).Bounded();
        }

        var entry = (await server.Events.WaitForRequestsAsync(e => e.Status == 101, 1))[0];
        Assert.Equal("GET", entry.Method);
        Assert.True(entry.BytesSent >= 7, $"sc-bytes {entry.BytesSent} counts the frames sent after the switch");
    }
}
