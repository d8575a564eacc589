using HttpSysPS.Engine.Queues;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Connections;

/// <summary>MaxConnections server-wide (refused at accept) and per listener (refused when the request is routed).</summary>
public class MaxConnectionsTests
{
    [Fact]
    public async Task Server_wide_limit_answers_the_excess_connection_with_503()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo, configureServer: o => o with { MaxConnections = 1 });
        await using var first = await server.ConnectAsync();
        Assert.Equal(200, (await first.RoundTripAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).StatusCode);

        await using var excess = await server.ConnectAsync();
        var response = await excess.ReadResponseAsync();
        Assert.Equal("HTTP/1.1 503 Service Unavailable", response.StatusLine);
        Assert.Equal("Service Unavailable", response.Heading);
        Assert.Equal("close", response.Header("Connection"));
        Assert.Empty(await excess.ReadToEndAsync());
        Assert.Equal("ConnLimit", (await server.Events.WaitForDropAsync("ConnLimit")).Reason);

        // The admitted connection is unaffected.
        Assert.Equal(200, (await first.RoundTripAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).StatusCode);
    }

    [Fact]
    public async Task Server_wide_limit_with_Basic_verbosity_resets_the_excess_connection()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo,
            configureServer: o => o with { MaxConnections = 1, Http503Verbosity = Http503Verbosity.Basic });
        await using var first = await server.ConnectAsync();
        Assert.Equal(200, (await first.RoundTripAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).StatusCode);

        var (received, reset) = await RawClient.ConnectAndReadToEndAsync(server.Port);
        Assert.Empty(received);
        Assert.True(reset, "Basic verbosity answers with a reset, not a close.");
        Assert.Equal(200, (await first.RoundTripAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).StatusCode);
    }

    [Fact]
    public async Task Listener_limit_answers_the_excess_connection_with_503()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo, configureGroup: o => o with { MaxConnections = 1 });
        await using var first = await server.ConnectAsync();
        Assert.Equal(200, (await first.RoundTripAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).StatusCode);

        await using var excess = await server.ConnectAsync();
        var response = await excess.RoundTripAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal("HTTP/1.1 503 Service Unavailable", response.StatusLine);
        Assert.Equal("close", response.Header("Connection"));
        Assert.Empty(await excess.ReadToEndAsync());
        Assert.Equal(200, (await first.RoundTripAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).StatusCode);
    }

    [Fact]
    public async Task Listener_limit_with_Basic_verbosity_resets_the_excess_connection()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo,
            configureGroup: o => o with { MaxConnections = 1, Http503Verbosity = Http503Verbosity.Basic });
        await using var first = await server.ConnectAsync();
        Assert.Equal(200, (await first.RoundTripAsync("GET / HTTP/1.1\r\nHost: x\r\n\r\n")).StatusCode);

        var (received, reset) = await RawClient.ConnectAndReadToEndAsync(server.Port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Empty(received);
        Assert.True(reset, "Basic verbosity answers with a reset, not a close.");
        Assert.Equal("ConnLimit", (await server.Events.WaitForDropAsync("ConnLimit")).Reason);
    }
}
