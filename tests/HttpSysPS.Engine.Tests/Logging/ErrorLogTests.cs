using HttpSysPS.Engine.Connections;
using HttpSysPS.Engine.Logging;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Logging;

/// <summary>httperr, end to end: one line per dropped connection or self-answered request, with HTTP.sys's fields.</summary>
public sealed class ErrorLogTests : IDisposable
{
    private static readonly string FieldsLine = "#Fields: date time c-ip c-port s-ip s-port cs-version cs-method cs-uri streamid sc-status s-siteid s-reason s-queuename";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_malformed_request_is_logged_with_its_status_and_reason()
    {
        await using (var server = await StartAsync(TestHandlers.Text("ok")))
        {
            await using var client = await server.ConnectAsync();
            Assert.Equal(400, (await client.RoundTripAsync("GET /x HTTP/1.1\r\n\r\n")).StatusCode);
        }

        var log = LogFile.Read(Path.Combine(_dir.Path, "httperr1.log"));
        Assert.Equal(FieldsLine, log.Directives[^1]);
        var line = Assert.Single(log.Lines);
        Assert.Equal("400", line["sc-status"]);
        Assert.Equal("GET", line["cs-method"]);
        Assert.Equal("/x", line["cs-uri"]);
        Assert.Equal("127.0.0.1", line["c-ip"]);
        Assert.NotEqual("-", line["s-reason"]);
    }

    [Fact]
    public async Task A_full_queue_is_logged_as_QueueFull_with_the_queue_name()
    {
        var gate = new HandlerGate();
        await using (var server = await StartAsync(gate.Handler, o => o with { MaxConcurrentRequests = 1, RequestQueueLimit = 1, RequestQueueName = "orders" }))
        {
            await using var first = await server.SendGetAsync("/1");
            await gate.Entered.Bounded();
            await using var second = await server.SendGetAsync("/2");
            await server.Observer.WaitForAsync(ConnectionPhase.Queued);
            await using var third = await server.SendGetAsync("/3");
            Assert.Equal(503, (await third.ReadResponseAsync()).StatusCode);
            gate.Release();
            Assert.Equal(200, (await first.ReadResponseAsync()).StatusCode);
            Assert.Equal(200, (await second.ReadResponseAsync()).StatusCode);
        }

        var line = Assert.Single(LogFile.Read(Path.Combine(_dir.Path, "httperr1.log")).Lines);
        Assert.Equal(("503", "QueueFull", "orders", "/3"), (line["sc-status"], line["s-reason"], line["s-queuename"], line["cs-uri"]));
    }

    [Theory]
    [InlineData("", "Timer_ConnectionIdle", 121)]
    [InlineData("GET / HTTP/1.1\r\n", "Timer_HeaderWait", 121)]
    public async Task A_connection_a_timer_closes_is_logged_with_the_timer_and_no_request_fields(string sent, string reason, int seconds)
    {
        await using (var server = await StartAsync(TestHandlers.Text("ok")))
        {
            await using var client = await server.ConnectAsync();
            if (sent.Length > 0)
            {
                await client.SendAsync(sent);
                await server.Observer.WaitForAsync(ConnectionPhase.ReadingHeaders);
            }
            else
            {
                await server.Observer.WaitForAsync(ConnectionPhase.Idle);
            }

            server.Advance(TimeSpan.FromSeconds(seconds));
            await server.Events.WaitForDropAsync(reason);
        }

        var line = Assert.Single(LogFile.Read(Path.Combine(_dir.Path, "httperr1.log")).Lines);
        Assert.Equal((reason, "-", "-", "-"), (line["s-reason"], line["cs-method"], line["cs-uri"], line["sc-status"]));
        Assert.Equal("127.0.0.1", line["s-ip"]);
    }

    [Fact]
    public async Task A_body_that_stops_arriving_is_logged_as_Timer_EntityBody()
    {
        await using (var server = await StartAsync(TestHandlers.Echo))
        {
            await using var client = await server.ConnectAsync();
            await client.SendAsync("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
            await server.Observer.WaitForAsync(ConnectionPhase.ReadingBody);
            server.Advance(TimeSpan.FromSeconds(121));
            await server.Events.WaitForDropAsync("Timer_EntityBody");
        }

        Assert.Equal("Timer_EntityBody", Assert.Single(LogFile.Read(Path.Combine(_dir.Path, "httperr1.log")).Lines)["s-reason"]);
    }

    [Fact]
    public async Task A_request_that_waited_past_the_RequestQueue_timer_is_logged_as_Timer_AppPool()
    {
        var gate = new HandlerGate();
        await using (var server = await StartAsync(gate.Handler, o => o with { MaxConcurrentRequests = 1 }))
        {
            await using var first = await server.SendGetAsync("/1");
            await gate.Entered.Bounded();
            await using var second = await server.SendGetAsync("/2");
            await server.Observer.WaitForAsync(ConnectionPhase.Queued);
            server.Advance(TimeSpan.FromSeconds(121));
            Assert.Equal(503, (await second.ReadResponseAsync()).StatusCode);
            gate.Release();
            Assert.Equal(200, (await first.ReadResponseAsync()).StatusCode);
        }

        var line = Assert.Single(LogFile.Read(Path.Combine(_dir.Path, "httperr1.log")).Lines);
        Assert.Equal(("503", "Timer_AppPool", "test", "/2"), (line["sc-status"], line["s-reason"], line["s-queuename"], line["cs-uri"]));
    }

    [Fact]
    public async Task A_failed_TLS_handshake_is_logged_as_TLS_Handshake_without_its_detail()
    {
        await using (var server = await Tls.TlsTestServer.StartAsync(configure: o => o with { ErrorLog = new ErrorLogOptions(_dir.Path) }))
        {
            await server.BindAsync("127.0.0.1", Configuration.TestCertificates.CreateValid());
            await using (var client = await RawClient.ConnectAsync(server.Port))
            {
                await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                await client.ReadToEndAsync();
            }

            await server.Events.WaitForDropAsync(reason => reason.StartsWith("TLS_Handshake", StringComparison.Ordinal));
        }

        Assert.Equal("TLS_Handshake", Assert.Single(LogFile.Read(Path.Combine(_dir.Path, "httperr1.log")).Lines)["s-reason"]);
    }

    [Fact]
    public async Task A_connection_over_MaxConnections_is_logged_as_ConnLimit()
    {
        await using (var server = await TestServer.StartAsync(TestHandlers.Text("ok"), fakeClock: true,
            configureServer: o => o with { MaxConnections = 1, ErrorLog = new ErrorLogOptions(_dir.Path) }))
        {
            await using var held = await server.ConnectAsync();
            Assert.Equal(200, (await held.RoundTripAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).StatusCode);
            await using var refused = await server.ConnectAsync();
            Assert.Equal(503, (await refused.ReadResponseAsync()).StatusCode);
            await server.Events.WaitForDropAsync("ConnLimit");
        }

        Assert.Equal("ConnLimit", Assert.Single(LogFile.Read(Path.Combine(_dir.Path, "httperr1.log")).Lines)["s-reason"]);
    }

    private Task<TestServer> StartAsync(Engine.Handlers.IRequestHandler handler, Func<UrlGroupOptions, UrlGroupOptions>? group = null) =>
        TestServer.StartAsync(handler, group, o => o with { ErrorLog = new ErrorLogOptions(_dir.Path) }, fakeClock: true);
}
