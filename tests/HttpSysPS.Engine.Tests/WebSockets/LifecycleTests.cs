using System.Net;
using System.Net.WebSockets;
using System.Text;
using HttpSysPS.Engine.Connections;
using HttpSysPS.Engine.Tests.Infrastructure;
using static HttpSysPS.Engine.Tests.Infrastructure.WebSocketFrames;

namespace HttpSysPS.Engine.Tests.WebSockets;

/// <summary>A WebSocket's life in the server: its timers, its queue slot, the listener's list, its end and the listener's stop.</summary>
public sealed class LifecycleTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task IdleTimeout_drops_a_socket_whose_client_sends_nothing_and_says_so_in_httperr()
    {
        await using var server = await EchoServer.StartAsync(g => g with { WebSockets = g.WebSockets with { IdleTimeout = TimeSpan.FromSeconds(10) } }, fakeClock: true);
        await using var client = await ConnectAsync(server);
        var id = await server.Observer.WaitForAsync(ConnectionPhase.Upgraded, occurrences: 2); // switched, then reading

        server.Advance(TimeSpan.FromSeconds(9));
        Assert.Empty(server.Events.Drops);
        server.Advance(Second);

        await server.Events.WaitForDropAsync("Timer_WebSocketIdle");
        Assert.Empty(await client.ReadToEndAsync()); // dropped, no close frame: the timer is a failure, not a close
        await server.Observer.WaitForAsync(id, ConnectionPhase.Closed);
    }

    [Fact]
    public async Task A_frame_from_the_client_restarts_the_idle_timer()
    {
        await using var server = await EchoServer.StartAsync(g => g with { WebSockets = g.WebSockets with { IdleTimeout = TimeSpan.FromSeconds(10) } }, fakeClock: true);
        await using var client = await ConnectAsync(server);
        var id = await server.Observer.WaitForAsync(ConnectionPhase.Upgraded, occurrences: 2);

        server.Advance(TimeSpan.FromSeconds(9));
        await client.SendAsync(Frame(Ping, "alive"u8.ToArray()));
        Assert.Equal(Pong, (await ReadFrameAsync(client)).Opcode);
        await server.Observer.WaitForAsync(id, ConnectionPhase.Upgraded, occurrences: 4); // the read ended and the next began
        server.Advance(TimeSpan.FromSeconds(9));

        Assert.Empty(server.Events.Drops);
        await client.SendAsync(TextFrame("still here"));
        Assert.Equal("still here", Encoding.UTF8.GetString((await ReadFrameAsync(client)).Payload));
    }

    [Fact]
    public async Task The_HTTP_timers_do_not_reach_an_upgraded_connection()
    {
        await using var server = await EchoServer.StartAsync(fakeClock: true);
        await using var client = await ConnectAsync(server);
        await server.Observer.WaitForAsync(ConnectionPhase.Upgraded, occurrences: 2);

        server.Advance(TimeSpan.FromHours(1)); // IdleConnection (120 s), HeaderWait, EntityBody all long past

        Assert.Empty(server.Events.Drops);
        await client.SendAsync(TextFrame("after an hour"));
        Assert.Equal("after an hour", Encoding.UTF8.GetString((await ReadFrameAsync(client)).Payload));
    }

    [Fact]
    public async Task An_open_socket_gives_its_handler_slot_back()
    {
        await using var server = await EchoServer.StartAsync(g => g with { MaxConcurrentRequests = 1, RequestQueueLimit = 1 });
        using var first = await EchoServer.ConnectAsync(server);
        using var second = await EchoServer.ConnectAsync(server);
        using var http = server.CreateClient();

        var response = await http.GetAsync("/").Bounded();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode); // the echo's answer to plain HTTP: served, not queued
        Assert.Equal(2, server.Group.WebSockets.Count);
    }

    [Fact]
    public async Task The_listener_lists_its_sockets_and_broadcasts_to_them()
    {
        await using var server = await EchoServer.StartAsync();
        var clients = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => EchoServer.ConnectAsync(server, path: "/room")));

        var sockets = server.Group.WebSockets.GetAll();
        Assert.Equal(3, sockets.Count);
        Assert.All(sockets, s => Assert.Equal("/room", s.Request.Path));
        Assert.All(sockets, s => Assert.Equal("test", s.Listener));
        Assert.Same(sockets[1], server.Group.WebSockets.Find(sockets[1].Id));

        var sent = await server.Group.WebSockets.BroadcastAsync("news"u8.ToArray(), WebSocketMessageType.Text);

        Assert.Equal(3, sent);
        foreach (var client in clients)
        {
            Assert.Equal("news", Encoding.UTF8.GetString((await EchoServer.ReceiveMessageAsync(client)).Data));
            await client.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).Bounded();
            client.Dispose();
        }

        await server.Events.WaitForRequestsAsync(e => e.Status == 101, 3);
        Assert.Equal(0, server.Group.WebSockets.Count);
    }

    [Fact]
    public async Task A_handler_that_throws_after_the_accept_closes_with_1011()
    {
        await using var server = await TestServer.StartAsync(new DelegateHandler(async (context, _) =>
        {
            var socket = await context.AcceptWebSocketAsync();
            await socket.ReceiveAsync(new byte[16], CancellationToken.None);
            throw new InvalidOperationException("handler bug");
        }));
        using var client = await EchoServer.ConnectAsync(server);

        await client.SendAsync("x"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None).Bounded();
        var result = await client.ReceiveAsync(new byte[16], CancellationToken.None).Bounded();

        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(WebSocketCloseStatus.InternalServerError, result.CloseStatus);
        Assert.Contains(server.Events.HandlerFailures, e => e.Message == "handler bug");
    }

    [Fact]
    public async Task A_handler_that_returns_with_the_socket_open_closes_it_with_1000()
    {
        await using var server = await TestServer.StartAsync(new DelegateHandler(async (context, _) => await context.AcceptWebSocketAsync()));
        using var client = await EchoServer.ConnectAsync(server);

        var result = await client.ReceiveAsync(new byte[16], CancellationToken.None).Bounded();

        Assert.Equal(WebSocketCloseStatus.NormalClosure, result.CloseStatus);
    }

    [Fact]
    public async Task Stopping_the_listener_sends_1001_and_completes_when_the_client_closes()
    {
        await using var server = await EchoServer.StartAsync();
        using var client = await EchoServer.ConnectAsync(server);
        var receive = client.ReceiveAsync(new byte[16], CancellationToken.None);

        var stop = server.Group.StopAsync(TimeSpan.FromMinutes(1));
        var result = await receive.Bounded();
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, result.CloseStatus);
        await client.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).Bounded();

        await stop.Bounded();
        Assert.Equal(UrlGroupState.Stopped, server.Group.State);
    }

    [Fact]
    public async Task A_client_that_never_answers_the_stop_close_is_dropped_after_CloseTimeout()
    {
        await using var server = await EchoServer.StartAsync(g => g with { WebSockets = g.WebSockets with { CloseTimeout = TimeSpan.FromSeconds(5) } }, fakeClock: true);
        await using var client = await ConnectAsync(server);
        await server.Observer.WaitForAsync(ConnectionPhase.Upgraded, occurrences: 2);

        var stop = server.Group.StopAsync(TimeSpan.FromMinutes(10));
        Assert.Equal(1001, await ReadCloseCodeAsync(client));
        Assert.False(stop.IsCompleted);
        server.Advance(TimeSpan.FromSeconds(5));

        await stop.Bounded();
        Assert.Empty(await client.ReadToEndAsync());
    }
}
