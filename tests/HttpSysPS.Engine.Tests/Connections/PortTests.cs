using System.Net;
using System.Net.Sockets;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Connections;

/// <summary>Port 0, ports held by other processes.</summary>
public class PortTests
{
    [Fact]
    public async Task Port_0_is_reported_as_the_real_port()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Text("here"));
        var registered = Assert.Single(server.Group.RegisteredPrefixes);
        Assert.NotEqual(0, registered.Port);
        Assert.Equal($"http://127.0.0.1:{registered.Port}/", registered.ToString());
        Assert.Equal(0, server.Group.Options.UrlPrefixes[0].Port);

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });
        Assert.Equal("here", await http.GetStringAsync(registered.ToString()));
    }

    [Fact]
    public async Task Port_0_prefixes_of_one_listener_share_the_chosen_port()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo, prefixes: ["http://127.0.0.1:0/a/", "http://127.0.0.1:0/b/"]);
        var ports = server.Group.RegisteredPrefixes.Select(p => p.Port).Distinct().ToArray();
        Assert.NotEqual(0, Assert.Single(ports));
        Assert.Equal("GET /b/x|", (await server.ProbeAsync("/b/x")).BodyText);
    }

    [Fact]
    public async Task Port_held_by_another_socket_fails_with_PortInUse_naming_the_port()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        holder.Listen();
        var port = ((IPEndPoint)holder.LocalEndPoint!).Port;

        await using var server = new HttpServer();
        var group = server.CreateUrlGroup(new UrlGroupOptions("taken", [$"http://127.0.0.1:{port}/"]), TestHandlers.Text("x"));
        var error = await Assert.ThrowsAsync<HttpSysException>(() => group.StartAsync());
        Assert.Equal(HttpSysErrorReason.PortInUse, error.Reason);
        Assert.Contains(port.ToString(), error.Message);
        Assert.NotEqual(UrlGroupState.Started, group.State);

        // The failed start left nothing behind: once the port is free the same listener starts.
        holder.Close();
        await group.StartAsync();
        Assert.Equal(port, group.RegisteredPrefixes[0].Port);
    }
}
