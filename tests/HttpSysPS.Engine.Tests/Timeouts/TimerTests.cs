using HttpSysPS.Engine.Configuration;
using HttpSysPS.Engine.Connections;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Timeouts;

/// <summary>
/// The six HTTP.sys timers on a fake clock. Each test awaits the connection reaching the phase the timer guards
/// (the deadline is armed before the phase is reported), then moves the clock: first to one second short of the
/// timer — nothing happens — then onto it — the connection is closed without a response and the drop is reported
/// with HTTP.sys's httperr reason. Distinct values per level prove which level's timer applied.
/// </summary>
public class TimerTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task HeaderWait_closes_a_connection_whose_head_never_completes()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo, fakeClock: true,
            configureServer: o => o with { Timeouts = new TimeoutLimits { HeaderWait = 7, IdleConnection = 30 } });
        await using var client = await server.ConnectAsync();
        await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n");
        await server.Observer.WaitForAsync(ConnectionPhase.ReadingHeaders);

        server.Advance(TimeSpan.FromSeconds(6));
        Assert.Empty(server.Events.Drops);
        server.Advance(Second);

        await server.Events.WaitForDropAsync("Timer_HeaderWait");
        Assert.Single(server.Events.Drops);
        await AssertClosedSilentlyAsync(client);
        Assert.Equal(200, (await server.ProbeAsync()).StatusCode);
    }

    [Fact]
    public async Task HeaderWait_of_the_listener_applies_once_a_request_was_routed_to_it()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo, fakeClock: true,
            configureServer: o => o with { Timeouts = new TimeoutLimits { HeaderWait = 20 } },
            configureGroup: o => o with { Timeouts = new TimeoutLimits { HeaderWait = 4 } });
        await using var client = await server.ConnectAsync();
        Assert.Equal(200, (await client.RoundTripAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).StatusCode);
        await client.SendAsync("GET /second HTTP/1.1\r\n");
        await server.Observer.WaitForAsync(ConnectionPhase.ReadingHeaders, occurrences: 2);

        server.Advance(TimeSpan.FromSeconds(3));
        Assert.Empty(server.Events.Drops);
        server.Advance(Second);

        await server.Events.WaitForDropAsync("Timer_HeaderWait");
        Assert.Single(server.Events.Drops);
        await AssertClosedSilentlyAsync(client);
    }

    [Fact]
    public async Task IdleConnection_of_the_server_applies_before_the_first_request()
    {
        // "Limited" timer (spec §4.1): the listener's IdleConnection is unknown until a request is routed.
        await using var server = await TestServer.StartAsync(TestHandlers.Echo, fakeClock: true,
            configureServer: o => o with { Timeouts = new TimeoutLimits { IdleConnection = 11, HeaderWait = 50 } },
            configureGroup: o => o with { Timeouts = new TimeoutLimits { IdleConnection = 3 } });
        await using var client = await server.ConnectAsync();
        await server.Observer.WaitForAsync(ConnectionPhase.Idle);

        server.Advance(TimeSpan.FromSeconds(10));
        Assert.Empty(server.Events.Drops);
        server.Advance(Second);

        await server.Events.WaitForDropAsync("Timer_ConnectionIdle");
        Assert.Single(server.Events.Drops);
        await AssertClosedSilentlyAsync(client);
        Assert.Equal(200, (await server.ProbeAsync()).StatusCode);
    }

    [Fact]
    public async Task IdleConnection_of_the_listener_applies_between_keep_alive_requests()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo, fakeClock: true,
            configureServer: o => o with { Timeouts = new TimeoutLimits { IdleConnection = 11, HeaderWait = 50 } },
            configureGroup: o => o with { Timeouts = new TimeoutLimits { IdleConnection = 3 } });
        await using var client = await server.ConnectAsync();
        var id = await server.Observer.WaitForAsync(ConnectionPhase.Idle);
        Assert.Equal(200, (await client.RoundTripAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).StatusCode);
        await server.Observer.WaitForAfterAsync(id, ConnectionPhase.Sending, ConnectionPhase.Idle);

        server.Advance(TimeSpan.FromSeconds(2));
        Assert.Empty(server.Events.Drops);
        server.Advance(Second);

        await server.Events.WaitForDropAsync("Timer_ConnectionIdle");
        Assert.Single(server.Events.Drops);
        await AssertClosedSilentlyAsync(client);
    }

    [Fact]
    public async Task EntityBody_closes_when_the_body_stalls_and_restarts_on_every_arrival()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo, fakeClock: true,
            configureServer: o => o with { Timeouts = new TimeoutLimits { EntityBody = 50 } },
            configureGroup: o => o with { Timeouts = new TimeoutLimits { EntityBody = 9 } });
        await using var client = await server.ConnectAsync();
        await client.SendAsync("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n");
        var id = await server.Observer.WaitForAsync(ConnectionPhase.ReadingBody);
        server.Advance(TimeSpan.FromSeconds(8));
        Assert.Empty(server.Events.Drops);

        // Bytes arrive: the handler's read returns and its next read re-arms a full EntityBody period.
        await client.SendAsync("abc");
        await server.Observer.WaitForAsync(id, ConnectionPhase.ReadingBody, occurrences: 2);
        server.Advance(TimeSpan.FromSeconds(8));
        Assert.Empty(server.Events.Drops);
        server.Advance(Second);

        await server.Events.WaitForDropAsync("Timer_EntityBody");
        Assert.Single(server.Events.Drops);
        await AssertClosedSilentlyAsync(client);
        Assert.Equal(200, (await server.ProbeAsync()).StatusCode);
    }

    [Fact]
    public async Task DrainEntityBody_closes_when_an_unread_body_does_not_arrive_after_the_response()
    {
        // The handler answers without reading the body; the server then drains it to reach the next request.
        await using var server = await TestServer.StartAsync(TestHandlers.Text("ok"), fakeClock: true,
            configureGroup: o => o with { Timeouts = new TimeoutLimits { DrainEntityBody = 5, EntityBody = 40 } });
        await using var client = await server.ConnectAsync();
        var response = await client.RoundTripAsync("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789");
        Assert.Equal("ok", response.BodyText);
        await server.Observer.WaitForAsync(ConnectionPhase.Draining);

        server.Advance(TimeSpan.FromSeconds(4));
        Assert.Empty(server.Events.Drops);
        server.Advance(Second);

        await server.Events.WaitForDropAsync("Timer_DrainEntityBody");
        Assert.Single(server.Events.Drops);
        await AssertClosedSilentlyAsync(client);
    }

    [Fact]
    public async Task Drained_body_lets_the_next_keep_alive_request_through()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Text("ok"), fakeClock: true);
        await using var client = await server.ConnectAsync();
        await client.SendAsync("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n01234");
        Assert.Equal("ok", (await client.ReadResponseAsync()).BodyText);
        await client.SendAsync("56789GET /next HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("ok", (await client.ReadResponseAsync()).BodyText);
        Assert.Empty(server.Events.Drops);
    }

    [Fact]
    public async Task RequestQueue_timer_answers_a_request_that_waited_too_long_with_503()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await TestServer.StartAsync(TestHandlers.Blocking(() => release.Task, () => entered.TrySetResult()), fakeClock: true,
            configureServer: o => o with { Timeouts = new TimeoutLimits { RequestQueue = 60 } },
            configureGroup: o => o with { MaxConcurrentRequests = 1, Timeouts = new TimeoutLimits { RequestQueue = 6 } });
        await using var busy = await server.ConnectAsync();
        await busy.SendAsync("GET /busy HTTP/1.1\r\nHost: x\r\n\r\n");
        await entered.Task.Bounded();
        await using var waiting = await server.ConnectAsync();
        await waiting.SendAsync("GET /waiting HTTP/1.1\r\nHost: x\r\n\r\n");
        await server.Observer.WaitForAsync(ConnectionPhase.Queued);

        server.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, server.Group.RequestQueue.GetStatistics().TimedOut);
        server.Advance(Second);

        var response = await waiting.ReadResponseAsync();
        Assert.Equal("HTTP/1.1 503 Service Unavailable", response.StatusLine);
        Assert.Equal("close", response.Header("Connection"));
        Assert.Equal(1, server.Group.RequestQueue.GetStatistics().TimedOut);
        var logged = await server.Events.WaitForRequestsAsync(e => e.Status == 503, 1);
        Assert.Equal("Timer_AppPool", logged[0].Reason);

        release.SetResult();
        Assert.Equal("done", (await busy.ReadResponseAsync()).BodyText);
    }

    [Fact]
    public async Task MinSendBytesPerSecond_closes_a_connection_whose_client_does_not_read()
    {
        var chunk = new byte[64 * 1024];
        const int Chunks = 1024; // 64 MiB: far more than the socket buffers hold
        var handler = new DelegateHandler(async (context, ct) =>
        {
            for (var i = 0; i < Chunks; i++)
            {
                await context.Response.WriteAsync(chunk, ct);
            }
        });
        await using var server = await TestServer.StartAsync(handler, fakeClock: true,
            configureGroup: o => o with { Timeouts = new TimeoutLimits { MinSendBytesPerSecond = 1000 } });
        await using var client = await server.ConnectAsync(receiveBufferSize: 4096);
        await client.SendAsync("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
        var id = await server.Observer.WaitForAsync(ConnectionPhase.Sending);

        // Each send may take (bytes / 1000) s, so 300 s covers any one flush. Whenever the connection is sending,
        // move past that allowance: a send that completed meanwhile just leads to the next; the one blocked on the
        // full socket buffers is the one the timer closes.
        // The close itself runs on the thread pool after the tick, so the drop is awaited alongside the next send.
        var seen = 0;
        var dropped = server.Events.WaitForDropAsync("Timer_MinBytesPerSecond");
        while (!dropped.IsCompleted)
        {
            await Task.WhenAny(server.Observer.WaitForCurrentAsync(id, ConnectionPhase.Sending, seen), dropped).Bounded();
            if (dropped.IsCompleted)
            {
                break;
            }

            seen = server.Observer.EventCount;
            server.Advance(TimeSpan.FromSeconds(300));
        }

        await dropped.Bounded();
        Assert.Single(server.Events.Drops);
        var received = await client.ReadToEndAsync();
        Assert.StartsWith("HTTP/1.1 200 OK", System.Text.Encoding.ASCII.GetString(received, 0, 15));
        Assert.True(received.Length < Chunks * chunk.Length, "The client must not have received the whole response.");
        Assert.True(client.Closed);
    }

    private static async Task AssertClosedSilentlyAsync(RawClient client)
    {
        Assert.Empty(await client.ReadToEndAsync());
        Assert.True(client.Closed);
    }
}
