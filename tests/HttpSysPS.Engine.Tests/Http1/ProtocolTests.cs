using System.Net;
using System.Net.Http.Headers;
using System.Text;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Http1;

/// <summary>What a well-formed HTTP/1.x client gets: keep-alive, pipelining, HEAD, HTTP/1.0, 100-continue, body and response framing.</summary>
public class ProtocolTests
{
    private static readonly DelegateHandler RemoteEndPointHandler = new((context, ct) =>
        context.Response.WriteAsync(context.Request.RemoteEndPoint!.ToString()!, ct));

    [Fact]
    public async Task Keep_alive_connection_serves_several_requests()
    {
        await using var server = await TestServer.StartAsync(RemoteEndPointHandler);
        await using var client = await server.ConnectAsync();
        var first = await client.RoundTripAsync("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n");
        var second = await client.RoundTripAsync("GET /2 HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("HTTP/1.1 200 OK", first.StatusLine);
        Assert.Equal("HTTP/1.1 200 OK", second.StatusLine);
        Assert.Null(first.Header("Connection"));
        Assert.Equal(first.BodyText, second.BodyText); // same client port: the same connection
        Assert.False(client.Closed);
    }

    [Fact]
    public async Task Pipelined_requests_in_one_write_are_answered_in_order()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo);
        await using var client = await server.ConnectAsync();
        await client.SendAsync(
            "GET /1 HTTP/1.1\r\nHost: x\r\n\r\n" +
            "POST /2 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc" +
            "POST /3 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\n\r\n" +
            "GET /4 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        Assert.Equal("GET /1|", (await client.ReadResponseAsync()).BodyText);
        Assert.Equal("POST /2|abc", (await client.ReadResponseAsync()).BodyText);
        Assert.Equal("POST /3|de", (await client.ReadResponseAsync()).BodyText);
        var last = await client.ReadResponseAsync();
        Assert.Equal("GET /4|", last.BodyText);
        Assert.Equal("close", last.Header("Connection"));
        Assert.Empty(await client.ReadToEndAsync());
    }

    [Fact]
    public async Task Leading_empty_lines_before_a_request_are_ignored()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo);
        await using var client = await server.ConnectAsync();
        var response = await client.RoundTripAsync("\r\n\r\nGET /x HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("GET /x|", response.BodyText);
    }

    [Fact]
    public async Task HEAD_has_Content_Length_and_no_body()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Text("Hello, World!"));
        await using var client = await server.ConnectAsync();
        var head = await client.RoundTripAsync("HEAD / HTTP/1.1\r\nHost: x\r\n\r\n", headRequest: true);
        Assert.Equal("HTTP/1.1 200 OK", head.StatusLine);
        Assert.Equal("13", head.Header("Content-Length"));

        // Had the HEAD response carried a body, it would now be read as the start of this response.
        var get = await client.RoundTripAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("HTTP/1.1 200 OK", get.StatusLine);
        Assert.Equal("Hello, World!", get.BodyText);
    }

    [Fact]
    public async Task HTTP_1_0_closes_after_the_response()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo);
        await using var client = await server.ConnectAsync();
        var response = await client.RoundTripAsync("GET /old HTTP/1.0\r\n\r\n");
        Assert.Equal("HTTP/1.1 200 OK", response.StatusLine);
        Assert.Equal("GET /old|", response.BodyText);
        Assert.Equal("close", response.Header("Connection"));
        Assert.Empty(await client.ReadToEndAsync());
        Assert.True(client.Closed);
    }

    [Fact]
    public async Task HTTP_1_0_keep_alive_keeps_the_connection()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo);
        await using var client = await server.ConnectAsync();
        var first = await client.RoundTripAsync("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        Assert.Equal("keep-alive", first.Header("Connection"));
        Assert.Equal("GET /a|", first.BodyText);
        var second = await client.RoundTripAsync("GET /b HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        Assert.Equal("GET /b|", second.BodyText);
    }

    [Fact]
    public async Task HTTP_1_1_Connection_close_closes_after_the_response()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo);
        await using var client = await server.ConnectAsync();
        var response = await client.RoundTripAsync("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        Assert.Equal("close", response.Header("Connection"));
        Assert.Empty(await client.ReadToEndAsync());
        Assert.True(client.Closed);
    }

    [Fact]
    public async Task Expect_100_continue_is_answered_before_the_body_is_sent()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo);
        await using var client = await server.ConnectAsync();
        await client.SendAsync("POST /up HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");

        // Nothing of the body has been sent: the interim response must come first.
        Assert.Equal("HTTP/1.1 100 Continue\r\n\r\n", await client.ReadUntilAsync("\r\n\r\n"));
        await client.SendAsync("hello");
        var response = await client.ReadResponseAsync();
        Assert.Equal("HTTP/1.1 200 OK", response.StatusLine);
        Assert.Equal("POST /up|hello", response.BodyText);
    }

    [Fact]
    public async Task Expect_100_continue_is_not_sent_when_the_handler_does_not_read_the_body()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Text("no thanks"));
        await using var client = await server.ConnectAsync();
        await client.SendAsync("POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\nConnection: close\r\n\r\n");
        var response = await client.ReadResponseAsync();
        Assert.Equal("HTTP/1.1 200 OK", response.StatusLine);
        Assert.Equal("no thanks", response.BodyText);
    }

    [Fact]
    public async Task Identical_duplicate_Content_Length_is_accepted()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo);
        await using var client = await server.ConnectAsync();
        var twice = await client.RoundTripAsync("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello");
        Assert.Equal("POST /|hello", twice.BodyText);
        var list = await client.RoundTripAsync("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5, 5\r\n\r\nworld");
        Assert.Equal("POST /|world", list.BodyText);
    }

    [Fact]
    public async Task Limits_at_their_boundary_are_accepted()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo);
        await using var client = await server.ConnectAsync();
        var segment = "/" + new string('s', 260);
        Assert.Equal($"GET {segment}|", (await client.RoundTripAsync($"GET {segment} HTTP/1.1\r\nHost: x\r\n\r\n")).BodyText);
        var segments = string.Concat(Enumerable.Repeat("/a", 255));
        Assert.Equal($"GET {segments}|", (await client.RoundTripAsync($"GET {segments} HTTP/1.1\r\nHost: x\r\n\r\n")).BodyText);
    }

    [Fact]
    public async Task Chunked_request_body_is_decoded_for_the_handler()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo);
        await using var client = await server.ConnectAsync();
        var response = await client.RoundTripAsync(
            "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n");
        Assert.Equal("POST /c|hello world", response.BodyText);

        // The trailer was consumed: the connection is ready for the next request.
        Assert.Equal("GET /n|", (await client.RoundTripAsync("GET /n HTTP/1.1\r\nHost: x\r\n\r\n")).BodyText);
    }

    /// <summary>
    /// Chunk extensions as RFC 9112 §7.1.1 writes them — <c>*( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )</c>
    /// — are accepted and ignored, on data chunks and on the last chunk.
    /// </summary>
    [Theory]
    [InlineData("5;name=value")]
    [InlineData("5;name")]
    [InlineData("5;a=1;b;c=\"quoted; \\\" value\"")]
    [InlineData("5 ;name=value")]
    [InlineData("5\t;name=value")]
    [InlineData("5; name = value")]
    [InlineData("5 ; a ; b =\t\"x\"")]
    [InlineData("00005;name=value")]
    public async Task Chunk_extensions_are_accepted_and_ignored(string sizeLine)
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo);
        await using var client = await server.ConnectAsync();
        var response = await client.RoundTripAsync(
            $"POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n{sizeLine}\r\nhello\r\n0;{sizeLine[(sizeLine.IndexOf(';') + 1)..]}\r\n\r\n");
        Assert.Equal("HTTP/1.1 200 OK", response.StatusLine);
        Assert.Equal("POST /c|hello", response.BodyText);
        Assert.False(client.Closed);
    }

    [Fact]
    public async Task HttpClient_chunked_upload_is_echoed()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo);
        using var http = server.CreateClient();
        var payload = new string('x', 200_000);
        var content = new StreamContent(new MemoryStream(Encoding.ASCII.GetBytes(payload)));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/big") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("POST /big|" + payload, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Response_is_chunked_when_the_handler_flushes_before_finishing()
    {
        var handler = new DelegateHandler(async (context, ct) =>
        {
            await context.Response.WriteAsync("first,", ct);
            await context.Response.FlushAsync(ct);
            await context.Response.WriteAsync("second", ct);
        });
        await using var server = await TestServer.StartAsync(handler);
        using var http = server.CreateClient();
        using var response = await http.GetAsync("/");
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Equal("first,second", await response.Content.ReadAsStringAsync());

        await using var client = await server.ConnectAsync();
        var raw = await client.RoundTripAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.True(raw.Chunked);
        Assert.Equal("first,second", raw.BodyText);
    }

    [Fact]
    public async Task Response_has_Content_Length_when_the_handler_does_not_flush()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Text("fixed length"));
        using var http = server.CreateClient();
        using var response = await http.GetAsync("/");
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        Assert.Equal(12, response.Content.Headers.ContentLength);
        Assert.Equal("fixed length", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Response_larger_than_the_buffer_is_chunked_and_complete()
    {
        var body = new byte[300_000];
        new Random(42).NextBytes(body);
        var handler = new DelegateHandler((context, ct) => context.Response.WriteAsync(body, ct));
        await using var server = await TestServer.StartAsync(handler);
        using var http = server.CreateClient();
        using var response = await http.GetAsync("/");
        Assert.True(response.Headers.TransferEncodingChunked);
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Declared_Content_Length_is_used_even_when_flushing()
    {
        var handler = new DelegateHandler(async (context, ct) =>
        {
            context.Response.ContentLength = 6;
            await context.Response.WriteAsync("abc", ct);
            await context.Response.FlushAsync(ct);
            await context.Response.WriteAsync("def", ct);
        });
        await using var server = await TestServer.StartAsync(handler);
        using var http = server.CreateClient();
        using var response = await http.GetAsync("/");
        Assert.Equal(6, response.Content.Headers.ContentLength);
        Assert.Equal("abcdef", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Handler_status_and_headers_reach_the_client()
    {
        var handler = new DelegateHandler((context, ct) =>
        {
            context.Response.StatusCode = 201;
            context.Response.Headers["X-Custom"] = "yes";
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("{}", ct);
        });
        await using var server = await TestServer.StartAsync(handler);
        using var http = server.CreateClient();
        using var response = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("yes", response.Headers.GetValues("X-Custom").Single());
        Assert.Equal(new MediaTypeHeaderValue("application/json"), response.Content.Headers.ContentType);
        Assert.Equal("HttpSysPS", response.Headers.Server.ToString());
    }
}
