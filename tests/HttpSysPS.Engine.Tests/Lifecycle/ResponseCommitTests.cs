using System.Net.Sockets;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Lifecycle;

/// <summary>
/// Faults found at the final commit (after the handler returned) and writes the handler did not await: the client gets
/// a clean 500 or an abort, never a bare reset, and the failure is reported like any handler failure.
/// </summary>
public class ResponseCommitTests
{
    private const string Get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";

    [Fact]
    public async Task A_Content_Length_that_the_body_does_not_match_gives_500_and_is_reported()
    {
        await using var server = await TestServer.StartAsync(new DelegateHandler(async (context, ct) =>
        {
            context.Response.Headers["Content-Length"] = "100";
            await context.Response.WriteAsync("short", ct);
        }));
        await using var client = await server.ConnectAsync();

        var response = await client.RoundTripAsync(Get);

        Assert.Equal(500, response.StatusCode);
        Assert.Equal("0", response.Header("Content-Length"));
        Assert.Contains("mismatch", Assert.Single(server.Events.HandlerFailures).Message);
    }

    [Theory]
    [InlineData("X-Split", "a\r\nSet-Cookie: evil=1")]
    [InlineData("X-Nul", "a\0b")]
    public async Task A_header_with_CR_LF_or_NUL_gives_500_and_is_reported(string name, string value)
    {
        await using var server = await TestServer.StartAsync(new DelegateHandler((context, ct) =>
        {
            context.Response.Headers[name] = value;
            return context.Response.WriteAsync("body", ct);
        }));
        await using var client = await server.ConnectAsync();

        var response = await client.RoundTripAsync(Get);

        Assert.Equal(500, response.StatusCode);
        Assert.Null(response.Header("Set-Cookie"));
        Assert.Contains("CR, LF or NUL", Assert.Single(server.Events.HandlerFailures).Message);
        Assert.Equal("Connection: close", $"Connection: {response.Header("Connection")}");
    }

    [Fact]
    public async Task A_started_response_that_ends_short_is_aborted()
    {
        await using var server = await TestServer.StartAsync(new DelegateHandler(async (context, ct) =>
        {
            context.Response.ContentLength = 100;
            await context.Response.WriteAsync("short", ct);
            await context.Response.FlushAsync(ct);
        }));
        var (received, _) = await RawClient.ConnectAndReadToEndAsync(server.Port, Get);

        var text = System.Text.Encoding.ASCII.GetString(received);
        Assert.StartsWith("HTTP/1.1 200", text);
        Assert.EndsWith("short", text);
    }

    [Fact]
    public async Task A_second_write_while_the_first_is_in_flight_throws_and_the_first_completes_intact()
    {
        var secondWrite = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var big = new byte[4 * 1024 * 1024];
        Array.Fill(big, (byte)'a');
        await using var server = await TestServer.StartAsync(new DelegateHandler(async (context, ct) =>
        {
            // No Content-Length: the body goes out chunked, and a second write would interleave its chunk.
            var first = context.Response.WriteAsync(big, ct);
            try
            {
                // Not awaited: a handler bug. The client is not reading, so the first write is still sending.
                _ = context.Response.WriteAsync("b"u8.ToArray(), ct);
                secondWrite.TrySetResult(null);
            }
            catch (Exception e)
            {
                secondWrite.TrySetResult(e);
            }

            await first;
        }));
        await using var client = await server.ConnectAsync(receiveBufferSize: 4096);
        await client.SendAsync(Get);

        var error = await secondWrite.Task.Bounded();
        Assert.IsType<InvalidOperationException>(error);
        var response = await client.ReadResponseAsync();
        Assert.Equal(200, response.StatusCode);
        Assert.Equal(big.Length, response.Body.Length);
        Assert.All(response.Body, b => Assert.Equal((byte)'a', b));
    }

    [Fact]
    public async Task A_handler_that_returns_before_its_write_completes_still_sends_the_whole_response()
    {
        var big = new byte[4 * 1024 * 1024];
        Random.Shared.NextBytes(big);
        await using var server = await TestServer.StartAsync(new DelegateHandler((context, ct) =>
        {
            context.Response.ContentLength = big.Length;

            // Returns without awaiting the write (a handler bug): the buffers under it must not be reused meanwhile.
            _ = context.Response.WriteAsync(big, ct);
            return ValueTask.CompletedTask;
        }));
        await using var client = await server.ConnectAsync(receiveBufferSize: 4096);

        var first = await client.RoundTripAsync(Get);
        var second = await client.RoundTripAsync(Get);

        Assert.Equal(big, first.Body);
        Assert.Equal(big, second.Body);
    }
}
