using HttpSysPS.Engine.Configuration;
using HttpSysPS.Engine.Connections;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Lifecycle;

/// <summary>
/// The heartbeat closes timed-out connections, but the user code a close triggers (RequestAborted callbacks, the
/// ConnectionDropped event) runs on the thread pool: a slow callback stalls no timer, a throwing one takes nothing down.
/// </summary>
public class HeartbeatIsolationTests
{
    [Fact]
    public async Task A_blocking_RequestAborted_callback_does_not_stall_the_other_connections_timers()
    {
        var release = new ManualResetEventSlim();
        var callbackEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new DelegateHandler(async (context, ct) =>
        {
            context.RequestAborted.Register(() =>
            {
                callbackEntered.TrySetResult();
                release.Wait(TimeSpan.FromMinutes(5)); // longer than any bound: only the test's finally ends it
            });
            _ = await context.Request.Body.ReadAsync(new byte[16], ct);
        });
        await using var server = await TestServer.StartAsync(handler, fakeClock: true,
            configureServer: o => o with { Timeouts = new TimeoutLimits { EntityBody = 5, IdleConnection = 10 } });
        try
        {
            // Connection 1 waits in the handler for a body that never comes (EntityBody, 5 s).
            await using var stalled = await server.ConnectAsync();
            await stalled.SendAsync("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n");
            var stalledId = await server.Observer.WaitForAsync(ConnectionPhase.ReadingBody);

            // Connection 2 is idle (IdleConnection, 10 s).
            await using var idle = await server.ConnectAsync();
            await server.Observer.WaitForAsync(ConnectionPhase.Idle, occurrences: 2);

            // The fake clock runs the tick on this thread: before the fix it blocked here inside the callback.
            await Task.Run(() => server.Advance(TimeSpan.FromSeconds(6))).Bounded();
            await callbackEntered.Task.Bounded();
            await Task.Run(() => server.Advance(TimeSpan.FromSeconds(5))).Bounded();

            await server.Events.WaitForDropAsync("Timer_ConnectionIdle");
            Assert.Empty(await idle.ReadToEndAsync());
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public async Task A_throwing_event_sink_and_a_throwing_RequestAborted_callback_stay_off_the_heartbeat()
    {
        var handler = new DelegateHandler(async (context, ct) =>
        {
            context.RequestAborted.Register(() => throw new InvalidOperationException("callback bug"));
            _ = await context.Request.Body.ReadAsync(new byte[16], ct);
        });
        var recording = new RecordingEvents();
        await using var server = await TestServer.StartAsync(handler, fakeClock: true,
            configureServer: o => o with { Events = new ThrowingDropEvents(recording), Timeouts = new TimeoutLimits { EntityBody = 5 } });
        await using var stalled = await server.ConnectAsync();
        await stalled.SendAsync("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n");
        await server.Observer.WaitForAsync(ConnectionPhase.ReadingBody);

        // Before the fix the sink's exception came out of the tick (here: out of Advance; in production: the timer
        // thread, which ends the process).
        await Task.Run(() => server.Advance(TimeSpan.FromSeconds(6))).Bounded();

        await recording.WaitForDropAsync("Timer_EntityBody");
        Assert.Empty(await stalled.ReadToEndAsync());
        Assert.Equal(200, (await server.ProbeAsync()).StatusCode);
    }

    private sealed class ThrowingDropEvents(RecordingEvents inner) : IServerEvents
    {
        public bool LogsRequests => false;

        public void RequestCompleted(RequestLogEntry entry) => inner.RequestCompleted(entry);

        public void ConnectionDropped(ConnectionDropEntry entry)
        {
            inner.ConnectionDropped(entry);
            throw new InvalidOperationException("event sink bug");
        }

        public void HandlerFailed(string listener, Exception exception) => inner.HandlerFailed(listener, exception);

        public void Warning(string message) => inner.Warning(message);
    }

    [Fact]
    public async Task The_idle_timeout_closes_with_FIN_not_a_reset()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo, fakeClock: true,
            configureServer: o => o with { Timeouts = new TimeoutLimits { IdleConnection = 10 } });
        await using var client = await server.ConnectAsync();
        Assert.Equal(200, (await client.RoundTripAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).StatusCode);
        await server.Observer.WaitForAsync(ConnectionPhase.Idle, occurrences: 2);

        server.Advance(TimeSpan.FromSeconds(11));
        await server.Events.WaitForDropAsync("Timer_ConnectionIdle");

        Assert.Empty(await client.ReadToEndAsync());
        Assert.False(client.WasReset);
    }
}
