using System.Net.Sockets;
using HttpSysPS.Engine.Configuration;
using HttpSysPS.Engine.Connections;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Lifecycle;

/// <summary>Races and leaks between the server's own moving parts: dispose and start, refusing connections, live timer changes.</summary>
public class ServerLifecycleTests
{
    [Fact]
    public async Task A_listener_started_while_the_server_is_disposing_fails_and_leaves_no_port_open()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var server = await TestServer.StartAsync(TestHandlers.Blocking(() => release.Task, () => entered.TrySetResult()));
        await using var busy = await server.ConnectAsync();
        await busy.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        await entered.Task.Bounded();
        var late = server.Server.CreateUrlGroup(new UrlGroupOptions("late", ["http://127.0.0.1:0/"]), TestHandlers.Echo);

        // Dispose waits (its grace period) for the busy handler; a start meanwhile used to open a port nobody closed.
        var dispose = server.Server.DisposeAsync().AsTask();
        Exception? startFailure = null;
        try
        {
            await late.StartAsync();
        }
        catch (ObjectDisposedException e)
        {
            startFailure = e;
        }

        var port = late.RegisteredPrefixes.Count > 0 ? late.RegisteredPrefixes[0].Port : 0;
        release.SetResult();
        await dispose.Bounded();

        Assert.NotNull(startFailure);
        Assert.True(port == 0 || TestServer.CanBind(port), $"port {port} is still open after the server was disposed");
    }

    [Fact]
    public async Task A_refused_connection_is_closed_even_when_the_event_sink_throws()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(TestHandlers.Blocking(() => release.Task, () => entered.TrySetResult()),
            configureServer: o => o with { MaxConnections = 1, Events = new ThrowingEvents() });
        await using var first = await server.ConnectAsync();
        await first.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        await entered.Task.Bounded();

        await using var refused = await server.ConnectAsync();

        // Before the fix the sink's exception left the refused socket open: the client waited forever.
        await refused.ReadToEndAsync().Bounded();
        Assert.True(refused.Closed || refused.WasReset);
        release.SetResult();
    }

    [Fact]
    public async Task A_live_IdleConnection_change_reaches_an_open_keep_alive_connection()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo, fakeClock: true);
        await using var client = await server.ConnectAsync();
        Assert.Equal(200, (await client.RoundTripAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).StatusCode);
        await server.Observer.WaitForAsync(ConnectionPhase.Idle, occurrences: 2);

        // The store now says 5 s (the connection armed HTTP.sys's default of 120 s when it went idle).
        server.Server.OnConfigChanged(server.Server.Configuration.WithTimeouts(new TimeoutLimits { IdleConnection = 5 }));
        server.Advance(TimeSpan.FromSeconds(6));

        await server.Events.WaitForDropAsync("Timer_ConnectionIdle");
        Assert.Empty(await client.ReadToEndAsync());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Keep_alive_and_pipelining_work_whether_or_not_idle_connections_give_their_buffer_back(bool waitForData)
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Text("ok"),
            configureServer: o => o with { WaitForDataBeforeAllocatingBuffer = waitForData });
        await using var client = await server.ConnectAsync();

        Assert.Equal("ok", (await client.RoundTripAsync("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n")).BodyText);
        await client.SendAsync("GET /2 HTTP/1.1\r\nHost: x\r\n\r\nGET /3 HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("ok", (await client.ReadResponseAsync()).BodyText);
        Assert.Equal("ok", (await client.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task A_leading_empty_line_split_across_two_reads_is_ignored()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Text("ok"));
        await using var client = await server.ConnectAsync();
        await client.SendAsync("\r");
        await server.Observer.WaitForAsync(ConnectionPhase.Idle);

        // The lone CR has been read (and kept) before the LF arrives.
        await client.SendAsync("\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
        var response = await client.ReadResponseAsync();

        Assert.Equal(200, response.StatusCode);
        Assert.Equal("ok", response.BodyText);
    }

    private sealed class ThrowingEvents : IServerEvents
    {
        public void ConnectionDropped(ConnectionDropEntry entry) => throw new InvalidOperationException("event sink bug");
    }
}
