using HttpSysPS.Engine.Connections;
using HttpSysPS.Engine.Tests.Configuration;
using HttpSysPS.Engine.Tests.Infrastructure;
using HttpSysPS.Engine.Tests.Tls;
using HttpSysPS.Engine.Timeouts;

namespace HttpSysPS.Engine.Tests.Lifecycle;

/// <summary>
/// Idle keep-alive connections park after more than a heartbeat of silence (their buffer and request state go back,
/// a zero-byte read waits) and come back to life when the client speaks again; busy ones never do.
/// </summary>
public sealed class IdleParkingTests
{
    [Fact]
    public async Task An_idle_keep_alive_connection_parks_and_then_serves_its_next_requests()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo, fakeClock: true);
        await using var client = await server.ConnectAsync();
        Assert.Equal(200, (await client.RoundTripAsync("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n")).StatusCode);
        var id = await server.Observer.WaitForAsync(ConnectionPhase.Idle, occurrences: 2);
        await server.Observer.WaitForWaitingAsync(id, times: 2);

        server.Advance(TimeSpan.FromSeconds(2));
        await server.Observer.WaitForParkedAsync(id);

        // Back to life: a head split over two sends (the first wakes the zero-byte read), then a pipelined pair.
        await client.SendAsync("GET /2 HTTP/1.1\r\n");
        await client.SendAsync("Host: x\r\n\r\n");
        Assert.Equal("GET /2|", (await client.ReadResponseAsync()).BodyText);
        await client.SendAsync("GET /3 HTTP/1.1\r\nHost: x\r\n\r\nGET /4 HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("GET /3|", (await client.ReadResponseAsync()).BodyText);
        Assert.Equal("GET /4|", (await client.ReadResponseAsync()).BodyText);

        // And it parks again after its next idle spell (waits so far: at the start, after /1 — parked inside it —,
        // after /2, after /4).
        await server.Observer.WaitForWaitingAsync(id, times: 4);
        server.Advance(TimeSpan.FromSeconds(2));
        await server.Observer.WaitForParkedAsync(id, times: 2);
        Assert.Equal("GET /5|", (await client.RoundTripAsync("GET /5 HTTP/1.1\r\nHost: x\r\n\r\n")).BodyText);
    }

    [Fact]
    public async Task A_parked_connection_still_times_out_with_FIN_on_IdleConnection()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo, fakeClock: true);
        await using var client = await server.ConnectAsync();
        Assert.Equal(200, (await client.RoundTripAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).StatusCode);
        var id = await server.Observer.WaitForAsync(ConnectionPhase.Idle, occurrences: 2);
        await server.Observer.WaitForWaitingAsync(id, times: 2);
        server.Advance(TimeSpan.FromSeconds(2));
        await server.Observer.WaitForParkedAsync(id);

        server.Advance(TimeSpan.FromSeconds(120));

        await server.Events.WaitForDropAsync("Timer_ConnectionIdle");
        Assert.Empty(await client.ReadToEndAsync());
        Assert.False(client.WasReset);
    }

    [Fact]
    public async Task A_parked_TLS_connection_serves_its_next_request()
    {
        var clock = new FakeTimeProvider();
        var observer = new PhaseObserver();
        await using var server = await TlsTestServer.StartAsync(configure: o => o with { TimeProvider = clock, Observer = observer });
        await server.BindAsync("127.0.0.1", TestCertificates.CreateValid());
        await using var client = await server.ConnectAsync(serverName: null);
        Assert.Equal(200, (await client.GetAsync("/1")).Status);
        var id = await observer.WaitForAsync(ConnectionPhase.Idle, occurrences: 2);
        await observer.WaitForWaitingAsync(id, times: 2);

        clock.Advance(TimeSpan.FromSeconds(2));
        await observer.WaitForParkedAsync(id);

        Assert.Equal((200, "cert=none"), await client.GetAsync("/2"));
    }

    [Fact]
    public void A_connection_counts_as_idle_for_a_heartbeat_only_after_more_than_one_second()
    {
        var clock = new FakeTimeProvider();
        using var heartbeat = new Heartbeat(clock, _ => { });
        var deadline = new ConnectionDeadline(heartbeat, observer: null, connectionId: 1);
        var second = clock.TimestampFrequency;
        deadline.Set(ConnectionPhase.Idle, ConnectionTimers.Disabled, TimeoutReason.IdleConnection);
        var armed = heartbeat.Now;

        Assert.False(deadline.IdleLongerThan(armed + second, second));
        Assert.True(deadline.IdleLongerThan(armed + second + 1, second));

        deadline.Set(ConnectionPhase.Executing, ConnectionTimers.Disabled, TimeoutReason.None);
        Assert.False(deadline.IdleLongerThan(armed + 10 * second, second));
    }
}
