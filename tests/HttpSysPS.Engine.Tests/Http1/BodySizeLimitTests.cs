using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Http1;

/// <summary>MaxRequestBodySize: 413 when a handler reads too large a body, and the per-request override until the first read.</summary>
public class BodySizeLimitTests
{
    private const string TooLarge = "HTTP/1.1 413 Request Entity Too Large";

    [Fact]
    public async Task Content_Length_over_the_limit_is_answered_413_when_the_handler_reads()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo, configureGroup: o => o with { MaxRequestBodySize = 100 });
        await using var client = await server.ConnectAsync();
        var response = await client.RoundTripAsync($"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 101\r\n\r\n{new string('b', 101)}");
        Assert.Equal(TooLarge, response.StatusLine);
        Assert.Equal("Request Entity Too Large", response.Heading);
        Assert.Equal("close", response.Header("Connection"));
        Assert.Empty(await client.ReadToEndAsync());
        Assert.Equal(200, (await server.ProbeAsync()).StatusCode);
    }

    [Fact]
    public async Task Body_at_the_limit_is_accepted()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo, configureGroup: o => o with { MaxRequestBodySize = 100 });
        await using var client = await server.ConnectAsync();
        var body = new string('b', 100);
        Assert.Equal($"POST /|{body}", (await client.RoundTripAsync($"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{body}")).BodyText);
    }

    [Fact]
    public async Task Handler_may_raise_the_limit_before_reading()
    {
        var handler = new DelegateHandler(async (context, ct) =>
        {
            context.Request.MaxRequestBodySize = 1000;
            await TestHandlers.Echo.HandleAsync(context, ct);
        });
        await using var server = await TestServer.StartAsync(handler, configureGroup: o => o with { MaxRequestBodySize = 100 });
        await using var client = await server.ConnectAsync();
        var body = new string('b', 500);
        var response = await client.RoundTripAsync($"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{body}");
        Assert.Equal("HTTP/1.1 200 OK", response.StatusLine);
        Assert.Equal($"POST /|{body}", response.BodyText);
    }

    [Fact]
    public async Task Limit_is_restored_for_the_next_request_on_the_connection()
    {
        var handler = new DelegateHandler(async (context, ct) =>
        {
            var before = context.Request.MaxRequestBodySize;
            context.Request.MaxRequestBodySize = 5000;
            await context.Response.WriteAsync(before?.ToString() ?? "none", ct);
        });
        await using var server = await TestServer.StartAsync(handler, configureGroup: o => o with { MaxRequestBodySize = 100 });
        await using var client = await server.ConnectAsync();
        Assert.Equal("100", (await client.RoundTripAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).BodyText);
        Assert.Equal("100", (await client.RoundTripAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).BodyText);
    }

    [Fact]
    public async Task Changing_the_limit_after_the_first_read_throws()
    {
        var handler = new DelegateHandler(async (context, ct) =>
        {
            var one = new byte[1];
            await context.Request.Body.ReadExactlyAsync(one, ct);
            string outcome;
            try
            {
                context.Request.MaxRequestBodySize = 1000;
                outcome = "changed";
            }
            catch (InvalidOperationException)
            {
                outcome = "InvalidOperationException";
            }

            using var rest = new MemoryStream();
            await context.Request.Body.CopyToAsync(rest, ct);
            await context.Response.WriteAsync(outcome, ct);
        });
        await using var server = await TestServer.StartAsync(handler, configureGroup: o => o with { MaxRequestBodySize = 100 });
        await using var client = await server.ConnectAsync();
        var response = await client.RoundTripAsync("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n0123456789");
        Assert.Equal("InvalidOperationException", response.BodyText);
    }

    [Fact]
    public async Task Chunked_body_over_the_limit_is_answered_413()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo, configureGroup: o => o with { MaxRequestBodySize = 100 });
        await using var client = await server.ConnectAsync();
        var chunk = new string('c', 60);
        var response = await client.RoundTripAsync($"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3c\r\n{chunk}\r\n3c\r\n{chunk}\r\n0\r\n\r\n");
        Assert.Equal(TooLarge, response.StatusLine);
        Assert.Equal("close", response.Header("Connection"));
        Assert.Empty(await client.ReadToEndAsync());
        Assert.Equal(200, (await server.ProbeAsync()).StatusCode);
    }

    [Fact]
    public async Task Unlimited_listener_accepts_a_body_over_the_default()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo, configureGroup: o => o with { MaxRequestBodySize = null });
        using var http = server.CreateClient();
        var body = new byte[UrlGroupOptions.DefaultMaxRequestBodySize / 100];
        using var response = await http.PostAsync("/", new ByteArrayContent(body));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("POST /|".Length + body.Length, (await response.Content.ReadAsByteArrayAsync()).Length);
    }
}
