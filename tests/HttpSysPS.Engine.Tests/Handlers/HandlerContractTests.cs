using System.Text;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Handlers;

/// <summary>What a handler is given, and what happens when it fails before or after its response started.</summary>
public class HandlerContractTests
{
    [Fact]
    public async Task Exception_before_the_response_started_gives_an_empty_500()
    {
        var handler = new DelegateHandler(async (context, ct) =>
        {
            context.Response.Headers["X-Lost"] = "yes";
            await context.Response.WriteAsync("buffered, never sent", ct);
            throw new InvalidOperationException("boom");
        });
        await using var server = await TestServer.StartAsync(handler);
        await using var client = await server.ConnectAsync();
        var response = await client.RoundTripAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("HTTP/1.1 500 Internal Server Error", response.StatusLine);
        Assert.Equal("0", response.Header("Content-Length"));
        Assert.Equal("close", response.Header("Connection"));
        Assert.Null(response.Header("X-Lost"));
        Assert.Empty(response.Body);
        Assert.Empty(await client.ReadToEndAsync());
        Assert.Equal("boom", Assert.Single(server.Events.HandlerFailures).Message);
        Assert.Equal("HTTP/1.1 500 Internal Server Error", (await server.ProbeAsync()).StatusLine); // still serving
    }

    [Fact]
    public async Task Exception_after_the_response_started_aborts_the_connection()
    {
        var handler = new DelegateHandler(async (context, ct) =>
        {
            await context.Response.WriteAsync("partial", ct);
            await context.Response.FlushAsync(ct);
            throw new InvalidOperationException("late boom");
        });
        await using var server = await TestServer.StartAsync(handler);
        await using var client = await server.ConnectAsync();
        await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        var received = Encoding.ASCII.GetString(await client.ReadToEndAsync());
        Assert.StartsWith("HTTP/1.1 200 OK", received);
        Assert.Contains("Transfer-Encoding: chunked", received);
        Assert.Contains("partial", received);
        Assert.DoesNotContain("\r\n0\r\n\r\n", received); // never a terminating chunk: the client knows it is incomplete

        using var http = server.CreateClient();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetStringAsync("/"));
    }

    [Fact]
    public async Task Fewer_bytes_than_the_declared_Content_Length_aborts_the_connection()
    {
        var handler = new DelegateHandler(async (context, ct) =>
        {
            context.Response.ContentLength = 100;
            await context.Response.WriteAsync("short", ct);
            await context.Response.FlushAsync(ct);
        });
        await using var server = await TestServer.StartAsync(handler);
        using var http = server.CreateClient();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.GetStringAsync("/"));
    }

    [Fact]
    public async Task Handler_sees_the_request_as_received_and_routed()
    {
        string? seen = null;
        var handler = new DelegateHandler((context, ct) =>
        {
            var r = context.Request;
            seen = string.Join("\n",
                r.Method, r.RawUrl, r.RawPath, r.Path, r.BasePath, r.RelativePath, r.QueryString, r.Query["q"], r.Host,
                r.Headers["X-Test"], r.Protocol, r.Scheme, r.IsSecure, r.UrlPrefix, context.Listener.Name,
                r.LocalEndPoint is System.Net.IPEndPoint, r.RemoteEndPoint is System.Net.IPEndPoint, r.HasBody);
            return ValueTask.CompletedTask;
        });
        await using var server = await TestServer.StartAsync(handler, prefixes: ["http://127.0.0.1:0/app/"]);
        await using var client = await server.ConnectAsync();
        var response = await client.RoundTripAsync("GET /app/a%20b/../c?q=x%20y HTTP/1.1\r\nHost: example:1\r\nX-Test: t\r\n\r\n");
        Assert.Equal(200, response.StatusCode);
        Assert.Equal(string.Join("\n",
            "GET", "/app/a%20b/../c?q=x%20y", "/app/a%20b/../c", "/app/c", "/app", "/c", "?q=x%20y", "x y", "example:1",
            "t", "HTTP/1.1", "http", "False", $"http://127.0.0.1:{server.Port}/app/", "test", "True", "True", "False"), seen);
    }

    [Fact]
    public async Task Handler_reading_the_body_sees_an_IOException_when_the_client_leaves()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var failure = new TaskCompletionSource<Exception>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new DelegateHandler(async (context, ct) =>
        {
            entered.TrySetResult();
            try
            {
                await context.Request.Body.CopyToAsync(Stream.Null, ct);
                failure.TrySetResult(new InvalidOperationException("the body read completed"));
            }
            catch (Exception e)
            {
                failure.TrySetResult(e);
                throw;
            }
        });
        await using var server = await TestServer.StartAsync(handler);
        var client = await server.ConnectAsync();
        await client.SendAsync("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc");
        await entered.Task.Bounded();
        await client.DisposeAsync();
        Assert.IsAssignableFrom<IOException>(await failure.Task.Bounded());
        Assert.Equal(200, (await server.ProbeAsync()).StatusCode);
    }

    [Fact]
    public async Task RequestAborted_fires_when_the_server_aborts_the_connection()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aborted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new DelegateHandler(async (context, ct) =>
        {
            Assert.Equal(ct, context.RequestAborted);
            using var registration = ct.Register(() => aborted.TrySetResult());
            entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
        });
        await using var server = await TestServer.StartAsync(handler, fakeClock: true);
        await using var client = await server.ConnectAsync();
        await client.SendAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        await entered.Task.Bounded();

        var stop = server.Group.StopAsync(TimeSpan.FromSeconds(5));
        server.Advance(TimeSpan.FromSeconds(5));
        await aborted.Task.Bounded();
        await stop.Bounded();
        Assert.Empty(await client.ReadToEndAsync());
    }
}
