using HttpSysPS.Engine.Connections;
using HttpSysPS.Engine.Queues;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Queues;

/// <summary>
/// A full request queue: one request in the only handler slot, N waiting, and exactly the K beyond the queue limit
/// refused; once the handler is released every admitted request is answered.
/// </summary>
public class RequestQueueTests
{
    [Fact]
    public async Task Exactly_the_requests_beyond_the_queue_limit_get_503_and_every_admitted_one_is_answered()
    {
        const int QueueLimit = 3;
        const int Excess = 2;
        var gate = new HandlerGate();
        await using var server = await TestServer.StartAsync(gate.Handler,
            configureGroup: o => o with { MaxConcurrentRequests = 1, RequestQueueLimit = QueueLimit });

        var admitted = new List<RawClient> { await server.SendGetAsync("/0") };
        await gate.Entered.Bounded();
        for (var i = 1; i <= QueueLimit; i++)
        {
            admitted.Add(await server.SendGetAsync($"/{i}"));
        }

        await server.Observer.WaitForAsync(ConnectionPhase.Queued, QueueLimit);
        Assert.Equal(QueueLimit, server.Group.RequestQueue.GetStatistics().Queued);

        for (var i = 0; i < Excess; i++)
        {
            await using var refused = await server.SendGetAsync($"/excess{i}");
            var response = await refused.ReadResponseAsync();
            Assert.Equal("HTTP/1.1 503 Service Unavailable", response.StatusLine);
            Assert.Equal("Service Unavailable", response.Heading);
            Assert.Equal("close", response.Header("Connection"));
            Assert.Empty(await refused.ReadToEndAsync());
        }

        gate.Release();
        foreach (var client in admitted)
        {
            var response = await client.ReadResponseAsync();
            Assert.Equal("HTTP/1.1 200 OK", response.StatusLine);
            Assert.Equal("done", response.BodyText);
            await client.DisposeAsync();
        }

        var stats = server.Group.RequestQueue.GetStatistics();
        Assert.Equal(Excess, stats.Rejected);
        Assert.Equal(1 + QueueLimit, stats.Completed);
        Assert.Equal(0, stats.Queued);
        Assert.Equal(0, stats.InFlight);
        Assert.Equal(0, stats.TimedOut);
        Assert.Equal(Excess, (await server.Events.WaitForRequestsAsync(e => e.Reason == "QueueFull", Excess)).Count);
    }

    [Fact]
    public async Task Basic_verbosity_resets_the_refused_connection()
    {
        var gate = new HandlerGate();
        await using var server = await TestServer.StartAsync(gate.Handler,
            configureGroup: o => o with { MaxConcurrentRequests = 1, RequestQueueLimit = 1, Http503Verbosity = Http503Verbosity.Basic });
        await using var busy = await server.SendGetAsync("/busy");
        await gate.Entered.Bounded();
        await using var queued = await server.SendGetAsync("/queued");
        await server.Observer.WaitForAsync(ConnectionPhase.Queued);

        var (received, reset) = await RawClient.ConnectAndReadToEndAsync(server.Port, "GET /refused HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Empty(received);
        Assert.True(reset, "Basic verbosity answers with a reset, not a close.");
        Assert.Equal("QueueFull", (await server.Events.WaitForDropAsync("QueueFull")).Reason);

        gate.Release();
        Assert.Equal(200, (await busy.ReadResponseAsync()).StatusCode);
        Assert.Equal(200, (await queued.ReadResponseAsync()).StatusCode);
        Assert.Equal(1, server.Group.RequestQueue.GetStatistics().Rejected);
    }

    [Fact]
    public async Task Full_verbosity_gives_the_detailed_reason_phrase()
    {
        var gate = new HandlerGate();
        await using var server = await TestServer.StartAsync(gate.Handler,
            configureGroup: o => o with { MaxConcurrentRequests = 1, RequestQueueLimit = 1, Http503Verbosity = Http503Verbosity.Full });
        await using var busy = await server.SendGetAsync("/busy");
        await gate.Entered.Bounded();
        await using var queued = await server.SendGetAsync("/queued");
        await server.Observer.WaitForAsync(ConnectionPhase.Queued);

        await using var refused = await server.SendGetAsync("/refused");
        var response = await refused.ReadResponseAsync();
        Assert.Equal("HTTP/1.1 503 Application request queue full.", response.StatusLine);
        Assert.Equal("close", response.Header("Connection"));

        gate.Release();
        Assert.Equal(200, (await busy.ReadResponseAsync()).StatusCode);
        Assert.Equal(200, (await queued.ReadResponseAsync()).StatusCode);
    }

    [Fact]
    public async Task Queued_requests_are_served_in_arrival_order()
    {
        var order = new List<string>();
        var gate = new HandlerGate(path => { lock (order) { order.Add(path); } });
        await using var server = await TestServer.StartAsync(gate.Handler, configureGroup: o => o with { MaxConcurrentRequests = 1 });
        var clients = new List<RawClient> { await server.SendGetAsync("/0") };
        await gate.Entered.Bounded();
        for (var i = 1; i <= 3; i++)
        {
            clients.Add(await server.SendGetAsync($"/{i}"));
            await server.Observer.WaitForAsync(ConnectionPhase.Queued, i);
        }

        gate.Release();
        foreach (var client in clients)
        {
            Assert.Equal(200, (await client.ReadResponseAsync()).StatusCode);
            await client.DisposeAsync();
        }

        Assert.Equal(["/0", "/1", "/2", "/3"], order);
    }
}
