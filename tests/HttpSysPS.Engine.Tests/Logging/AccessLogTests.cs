using HttpSysPS.Engine.Connections;
using HttpSysPS.Engine.Logging;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Logging;

/// <summary>A listener's W3C access log, end to end: requests over loopback, the file read back field by field.</summary>
public sealed class AccessLogTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Each_answered_request_is_one_line_with_the_default_fields()
    {
        int port;
        await using (var server = await TestServer.StartAsync(TestHandlers.Echo, fakeClock: true,
            configureGroup: o => o with { AccessLog = new AccessLogOptions(_dir.Path) }))
        {
            port = server.Port;
            await using var client = await server.ConnectAsync();
            Assert.Equal(200, (await client.RoundTripAsync("GET /a/b?x=1&y=two HTTP/1.1\r\nHost: x\r\n\r\n")).StatusCode);
            Assert.Equal(200, (await client.RoundTripAsync("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc")).StatusCode);
        }

        var log = LogFile.Read(Path.Combine(_dir.Path, "u_ex250101.log"));
        Assert.Equal(["#Software: HttpSysPS", "#Version: 1.0", "#Date: 2025-01-01 00:00:00", "#Fields: " + W3CLogFields.Default], log.Directives);
        Assert.Equal(2, log.Lines.Count);
        var get = log.Lines[0];
        Assert.Equal("2025-01-01", get["date"]);
        Assert.Equal("00:00:00", get["time"]);
        Assert.Equal("GET", get["cs-method"]);
        Assert.Equal("/a/b", get["cs-uri-stem"]);
        Assert.Equal("x=1&y=two", get["cs-uri-query"]);
        Assert.Equal("200", get["sc-status"]);
        Assert.Equal("127.0.0.1", get["c-ip"]);
        Assert.Equal("127.0.0.1", get["s-ip"]);
        Assert.Equal(port.ToString(System.Globalization.CultureInfo.InvariantCulture), get["s-port"]);
        Assert.Equal("HTTP/1.1", get["cs-version"]);
        Assert.Equal("GET /a/b|".Length.ToString(System.Globalization.CultureInfo.InvariantCulture), get["sc-bytes"]);
        Assert.Equal("0", get["time-taken"]);
        Assert.Equal(("POST", "/upload", "-"), (log.Lines[1]["cs-method"], log.Lines[1]["cs-uri-stem"], log.Lines[1]["cs-uri-query"]));
    }

    [Fact]
    public async Task Chosen_fields_are_written_in_their_order_and_a_new_UTC_day_starts_a_new_file()
    {
        var fields = W3CLogFields.Parse("s-sitename sc-status cs-uri-stem s-reason");
        await using (var server = await TestServer.StartAsync(TestHandlers.Text("ok"), fakeClock: true,
            configureGroup: o => o with { AccessLog = new AccessLogOptions(_dir.Path) { Fields = fields } }))
        {
            await using var client = await server.ConnectAsync();
            Assert.Equal(200, (await client.RoundTripAsync("GET /day1 HTTP/1.1\r\nHost: x\r\n\r\n")).StatusCode);
            await server.Observer.WaitForAsync(ConnectionPhase.Idle, occurrences: 2);
            server.Advance(TimeSpan.FromDays(1));
            await using var next = await server.ConnectAsync();
            Assert.Equal(200, (await next.RoundTripAsync("GET /day2 HTTP/1.1\r\nHost: x\r\n\r\n")).StatusCode);
        }

        var day1 = LogFile.Read(Path.Combine(_dir.Path, "u_ex250101.log"));
        var day2 = LogFile.Read(Path.Combine(_dir.Path, "u_ex250102.log"));
        Assert.Equal("#Fields: s-sitename sc-status cs-uri-stem s-reason", day1.Directives[^1]);
        Assert.Equal(new Dictionary<string, string> { ["s-sitename"] = "test", ["sc-status"] = "200", ["cs-uri-stem"] = "/day1", ["s-reason"] = "-" }, Assert.Single(day1.Lines));
        Assert.Equal("/day2", Assert.Single(day2.Lines)["cs-uri-stem"]);
    }

    [Fact]
    public async Task The_path_is_logged_as_sent_percent_encoding_and_all()
    {
        await using (var server = await TestServer.StartAsync(TestHandlers.Text("ok"),
            configureGroup: o => o with { AccessLog = new AccessLogOptions(_dir.Path) { Fields = W3CLogFields.Parse("cs-method cs-uri-stem sc-status") } }))
        {
            await using var client = await server.ConnectAsync();
            Assert.Equal(200, (await client.RoundTripAsync("GET /a%20b/c+d HTTP/1.1\r\nHost: x\r\n\r\n")).StatusCode);
        }

        var line = Assert.Single(LogFile.Read(Directory.GetFiles(_dir.Path).Single()).Lines);
        Assert.Equal("/a%20b/c+d", line["cs-uri-stem"]);
    }
}
