using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Connections;

/// <summary>Several listeners on one port, routed by host bucket and then by longest path (spec §1.2–1.3).</summary>
public class SharedPortTests
{
    private static readonly DelegateHandler WhoAmI = new((context, ct) =>
        context.Response.WriteAsync($"{context.Listener.Name} base={context.Request.BasePath} rel={context.Request.RelativePath}", ct));

    [Theory]
    [InlineData("localhost", "/api/items", "api base=/api rel=/items")]      // explicit host bucket beats the IP-bound one
    [InlineData("LOCALHOST", "/API/items", "api base=/API rel=/items")]      // host and path compare case-insensitively
    [InlineData("127.0.0.1", "/api/items", "root base= rel=/api/items")]     // localhost prefix is not for this Host
    [InlineData("localhost", "/other", "root base= rel=/other")]             // no path in the explicit bucket: next bucket
    [InlineData("127.0.0.1", "/static/site.css", "static base=/static rel=/site.css")] // longest path in the IP-bound bucket
    [InlineData("127.0.0.1", "/staticx", "root base= rel=/staticx")]         // whole segments only
    public async Task Requests_are_routed_by_host_then_by_longest_path(string host, string path, string expected)
    {
        await using var server = await TestServer.StartAsync(WhoAmI, configureGroup: o => o with { Name = "root" });
        var port = server.Port;
        await StartAsync(server, "api", $"http://localhost:{port}/api/");
        await StartAsync(server, "static", $"http://127.0.0.1:{port}/static/");

        await using var client = await server.ConnectAsync();
        var response = await client.RoundTripAsync($"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n");
        Assert.Equal("HTTP/1.1 200 OK", response.StatusLine);
        Assert.Equal(expected, response.BodyText);
    }

    [Fact]
    public async Task One_connection_is_routed_per_request()
    {
        await using var server = await TestServer.StartAsync(WhoAmI, configureGroup: o => o with { Name = "root" });
        await StartAsync(server, "api", $"http://127.0.0.1:{server.Port}/api/");
        await using var client = await server.ConnectAsync();
        Assert.StartsWith("api ", (await client.RoundTripAsync("GET /api/1 HTTP/1.1\r\nHost: x\r\n\r\n")).BodyText);
        Assert.StartsWith("root ", (await client.RoundTripAsync("GET /1 HTTP/1.1\r\nHost: x\r\n\r\n")).BodyText);
        Assert.StartsWith("api ", (await client.RoundTripAsync("GET /api/2 HTTP/1.1\r\nHost: x\r\n\r\n")).BodyText);
    }

    [Fact]
    public async Task Stopping_one_listener_leaves_the_other_on_the_shared_port()
    {
        await using var server = await TestServer.StartAsync(WhoAmI, configureGroup: o => o with { Name = "root" });
        var api = await StartAsync(server, "api", $"http://127.0.0.1:{server.Port}/api/");
        await api.StopAsync(TimeSpan.Zero).Bounded();

        // /api/ is no longer registered: the root listener now gets it.
        Assert.Equal("root base= rel=/api/x", (await server.ProbeAsync("/api/x")).BodyText);
    }

    [Fact]
    public async Task Host_with_no_listener_on_the_port_is_answered_Invalid_Hostname()
    {
        await using var server = await TestServer.StartAsync(WhoAmI, prefixes: ["http://localhost:0/"]);
        await using var client = await RawClient.ConnectAsync(server.Port);
        var response = await client.RoundTripAsync($"GET / HTTP/1.1\r\nHost: example.com:{server.Port}\r\n\r\n");
        Assert.Equal("HTTP/1.1 400 Bad Request", response.StatusLine);
        Assert.Equal("Bad Request - Invalid Hostname", response.Heading);
    }

    private static async Task<UrlGroup> StartAsync(TestServer server, string name, string prefix)
    {
        var group = server.Server.CreateUrlGroup(new UrlGroupOptions(name, [prefix]), WhoAmI);
        await group.StartAsync();
        return group;
    }
}
