using HttpSysPS.Engine.Connections;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Diagnostics;

/// <summary>The HttpSysPS meter under a scripted load: exact counts, OpenTelemetry's names and attributes.</summary>
public sealed class MetricsTests
{
    private const string Duration = "http.server.request.duration";
    private const string Active = "http.server.active_requests";
    private const string Queue = "httpsys.request_queue.name";

    [Fact]
    public async Task Request_durations_carry_method_status_route_and_protocol_and_never_the_raw_path()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo);
        using var metrics = new MetricRecorder(server.Server.Meter);
        var route = server.Group.RegisteredPrefixes[0].FullPrefix;
        await using (var client = await server.ConnectAsync())
        {
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(200, (await client.RoundTripAsync($"GET /item/{i} HTTP/1.1\r\nHost: x\r\n\r\n")).StatusCode);
            }

            Assert.Equal(200, (await client.RoundTripAsync("BREW /pot HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n\r\n")).StatusCode);
        }

        await using (var bad = await server.ConnectAsync())
        {
            Assert.Equal(400, (await bad.RoundTripAsync("GET /x HTTP/1.1\r\n\r\n")).StatusCode);
        }

        await server.Events.WaitForRequestsAsync(_ => true, 5);
        var recorded = metrics.Recorded(Duration);
        Assert.Equal(5, recorded.Count);
        var gets = recorded.Where(m => Equals(m.Tags["http.request.method"], "GET") && Equals(m.Tags["http.response.status_code"], 200)).ToList();
        Assert.Equal(3, gets.Count);
        Assert.All(gets, m =>
        {
            Assert.Equal(route, m.Tags["http.route"]);
            Assert.Equal("http", m.Tags["url.scheme"]);
            Assert.Equal("1.1", m.Tags["network.protocol.version"]);
            Assert.True(m.Value >= 0);
        });
        var other = Assert.Single(recorded, m => Equals(m.Tags["http.request.method"], "_OTHER") && Equals(m.Tags["http.response.status_code"], 200));
        Assert.Equal("1.0", other.Tags["network.protocol.version"]);
        var rejected = Assert.Single(recorded, m => Equals(m.Tags["http.response.status_code"], 400));
        Assert.False(rejected.Tags.ContainsKey("http.route"));
        Assert.DoesNotContain(recorded, m => m.Tags.Values.OfType<string>().Any(v => v.Contains("/item/")));
    }

    [Fact]
    public async Task Active_requests_count_the_requests_in_the_server_and_return_to_zero()
    {
        var gate = new HandlerGate();
        await using var server = await TestServer.StartAsync(gate.Handler);
        using var metrics = new MetricRecorder(server.Server.Meter);
        await using var client = await server.ConnectAsync();
        await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        await gate.Entered.Bounded();

        Assert.Equal(1, metrics.Recorded(Active).Sum(m => m.Value));
        Assert.Equal("GET", Assert.Single(metrics.Recorded(Active)).Tags["http.request.method"]);

        gate.Release();
        Assert.Equal(200, (await client.ReadResponseAsync()).StatusCode);
        await server.Events.WaitForRequestsAsync(_ => true, 1);
        Assert.Equal(0, metrics.Recorded(Active).Sum(m => m.Value));
        Assert.Equal(2, metrics.Recorded(Active).Count);
    }

    [Fact]
    public async Task Queue_counters_show_arrivals_rejections_size_and_the_oldest_wait()
    {
        var gate = new HandlerGate();
        await using var server = await TestServer.StartAsync(gate.Handler, fakeClock: true,
            configureGroup: o => o with { MaxConcurrentRequests = 1, RequestQueueLimit = 1, RequestQueueName = "orders" });
        using var metrics = new MetricRecorder(server.Server.Meter);
        await using var first = await server.SendGetAsync("/1");
        await gate.Entered.Bounded();
        await using var second = await server.SendGetAsync("/2");
        await server.Observer.WaitForAsync(ConnectionPhase.Queued);
        await using var third = await server.SendGetAsync("/3");
        Assert.Equal(503, (await third.ReadResponseAsync()).StatusCode);

        server.Advance(TimeSpan.FromSeconds(5));

        Assert.Equal(3, metrics.Observe("httpsys.request_queue.arrivals", Queue, "orders"));
        Assert.Equal(1, metrics.Observe("httpsys.request_queue.rejected", Queue, "orders"));
        Assert.Equal(1, metrics.Observe("httpsys.request_queue.size", Queue, "orders"));
        Assert.Equal(5.0, metrics.Observe("httpsys.request_queue.max_item_age", Queue, "orders"));
        Assert.Equal(0, metrics.Observe("httpsys.request_queue.timed_out", Queue, "orders"));

        gate.Release();
        Assert.Equal(200, (await first.ReadResponseAsync()).StatusCode);
        Assert.Equal(200, (await second.ReadResponseAsync()).StatusCode);
        Assert.Equal(0, metrics.Observe("httpsys.request_queue.size", Queue, "orders"));
        Assert.Equal(0.0, metrics.Observe("httpsys.request_queue.max_item_age", Queue, "orders"));
    }

    [Fact]
    public async Task Connection_counters_count_accepted_open_and_dropped_by_reason()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Text("ok"), fakeClock: true);
        using var metrics = new MetricRecorder(server.Server.Meter);
        await using var a = await server.ConnectAsync();
        await using var b = await server.ConnectAsync();
        Assert.Equal(200, (await a.RoundTripAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).StatusCode);
        Assert.Equal(200, (await b.RoundTripAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).StatusCode);

        Assert.Equal(2, Assert.Single(metrics.Observe("httpsys.connections.total")).Value);
        Assert.Equal(2, Assert.Single(metrics.Observe("httpsys.connections.current")).Value);

        // Both are waiting for their next request (two waits each: before and after their request), so both idle
        // deadlines are armed before the clock moves.
        await server.Observer.WaitForAllWaitingAsync(4);
        server.Advance(TimeSpan.FromSeconds(121));
        await server.Events.WaitForDropsAsync("Timer_ConnectionIdle", 2);

        var dropped = metrics.Recorded("httpsys.connections.dropped");
        Assert.Equal(2, dropped.Count);
        Assert.All(dropped, m => Assert.Equal("Timer_ConnectionIdle", m.Tags["reason"]));
    }

    [Fact]
    public async Task Log_lines_lost_to_failed_writes_are_counted_per_log()
    {
        using var dir = new TempDirectory();
        var blocker = dir.Write("not-a-directory", "x");
        await using var server = await TestServer.StartAsync(TestHandlers.Text("ok"),
            configureGroup: o => o with { AccessLog = new Engine.Logging.AccessLogOptions(Path.Combine(blocker, "logs")) });
        using var metrics = new MetricRecorder(server.Server.Meter);
        await using var client = await server.ConnectAsync();
        Assert.Equal(200, (await client.RoundTripAsync("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n")).StatusCode);
        Assert.Equal(200, (await client.RoundTripAsync("GET /2 HTTP/1.1\r\nHost: x\r\n\r\n")).StatusCode);

        // The writer's task meets the failures after the requests returned: wait (bounded) until it has.
        var failed = 0.0;
        Assert.True(SpinWait.SpinUntil(() => (failed = metrics.Observe("httpsys.log.write_errors", "log", "test")) >= 2, Bounds.Wait), $"write_errors stayed at {failed}");
        Assert.Equal(2, failed);
        Assert.Equal(0, metrics.Observe("httpsys.log.dropped", "log", "test"));
    }
}
