using HttpSysPS.Engine.Connections;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Connections;

/// <summary>
/// StopAsync(grace): in-flight requests finish, queued ones get 503, stuck ones are aborted when the grace period
/// (on the fake clock) ends, and the port is released.
/// </summary>
public class GracefulStopTests
{
    [Fact]
    public async Task In_flight_requests_complete_during_the_grace_period()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new CountdownEvent(2);
        await using var server = await TestServer.StartAsync(TestHandlers.Blocking(() => release.Task, () => entered.Signal()), fakeClock: true);
        var port = server.Port;
        await using var a = await SendAsync(server, "/a");
        await using var b = await SendAsync(server, "/b");
        await Task.Run(() => entered.Wait(Bounds.Wait)).Bounded();

        var stop = server.Group.StopAsync(TimeSpan.FromSeconds(30));
        Assert.False(stop.IsCompleted, "Stop must wait for the in-flight requests.");
        Assert.Equal(UrlGroupState.Stopping, server.Group.State);

        release.SetResult();
        Assert.Equal("HTTP/1.1 200 OK", (await a.ReadResponseAsync()).StatusLine);
        Assert.Equal("HTTP/1.1 200 OK", (await b.ReadResponseAsync()).StatusLine);
        await stop.Bounded();
        Assert.Equal(UrlGroupState.Stopped, server.Group.State);
        Assert.True(TestServer.CanBind(port), "A stopped listener must release its port.");
        Assert.Empty(server.Group.RegisteredPrefixes);
    }

    [Fact]
    public async Task Stuck_request_is_aborted_when_the_grace_period_ends_and_stop_waits_for_its_handler()
    {
        var never = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(TestHandlers.Blocking(() => never.Task, () => entered.TrySetResult()), fakeClock: true);
        await using var stuck = await SendAsync(server, "/stuck");
        await entered.Task.Bounded();

        var stop = server.Group.StopAsync(TimeSpan.FromSeconds(10));
        server.Advance(TimeSpan.FromSeconds(9));
        Assert.False(stop.IsCompleted);
        server.Advance(TimeSpan.FromSeconds(1));

        // No answer, but a close the client can see.
        Assert.Empty(await stuck.ReadToEndAsync());
        Assert.True(stuck.Closed);

        // The handler ignores its cancellation: the listener is not Stopped (nor restartable) while it still runs.
        Assert.False(stop.IsCompleted);
        Assert.Equal(UrlGroupState.Stopping, server.Group.State);
        never.SetResult();
        await stop.Bounded();
        Assert.Equal(UrlGroupState.Stopped, server.Group.State);
    }

    [Fact]
    public async Task Queued_requests_get_503_when_the_listener_stops()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(TestHandlers.Blocking(() => release.Task, () => entered.TrySetResult()), fakeClock: true,
            configureGroup: o => o with { MaxConcurrentRequests = 1 });
        await using var running = await SendAsync(server, "/running");
        await entered.Task.Bounded();
        await using var queued = await SendAsync(server, "/queued");
        await server.Observer.WaitForAsync(ConnectionPhase.Queued);

        var stop = server.Group.StopAsync(TimeSpan.FromSeconds(30));
        var refused = await queued.ReadResponseAsync();
        Assert.Equal("HTTP/1.1 503 Service Unavailable", refused.StatusLine);
        Assert.Equal("close", refused.Header("Connection"));

        release.SetResult();
        Assert.Equal("done", (await running.ReadResponseAsync()).BodyText);
        await stop.Bounded();
    }

    [Fact]
    public async Task Idle_keep_alive_connections_are_closed_by_stop()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo, fakeClock: true);
        await using var client = await server.ConnectAsync();
        var id = await server.Observer.WaitForAsync(ConnectionPhase.Idle);
        Assert.Equal(200, (await client.RoundTripAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).StatusCode);
        await server.Observer.WaitForAfterAsync(id, ConnectionPhase.Sending, ConnectionPhase.Idle);
        await server.Group.StopAsync(TimeSpan.FromSeconds(30)).Bounded();
        Assert.Empty(await client.ReadToEndAsync());
        Assert.True(client.Closed);
    }

    [Fact]
    public async Task Stopped_listener_can_start_again()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Text("again"));
        await server.Group.StopAsync(TimeSpan.Zero).Bounded();
        await server.Group.StartAsync();
        Assert.Equal(UrlGroupState.Started, server.Group.State);
        Assert.Equal("again", (await server.ProbeAsync()).BodyText);
    }

    private static async Task<RawClient> SendAsync(TestServer server, string path)
    {
        var client = await server.ConnectAsync();
        await client.SendAsync($"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n");
        return client;
    }
}
