using System.Net.Sockets;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Connections;

/// <summary>A listener on a Unix domain socket (<c>http://unix:/path.sock</c>), reached by HttpClient through a custom connect.</summary>
public class UnixSocketTests
{
    [Fact]
    public async Task Unix_socket_endpoint_serves_requests_and_removes_its_file_on_stop()
    {
        var path = Path.Combine(Path.GetTempPath(), $"httpsysps-{Guid.NewGuid():N}.sock");
        var handler = new DelegateHandler((context, ct) =>
            context.Response.WriteAsync($"{context.Request.Path} via {context.Request.LocalEndPoint}", ct));
        await using var server = await TestServer.StartAsync(handler, prefixes: [$"http://unix:{path}"]);
        Assert.True(File.Exists(path));

        using var http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        })
        { Timeout = Bounds.Wait };

        Assert.Equal($"/hello via {path}", await http.GetStringAsync("http://localhost/hello"));
        Assert.Equal($"/again via {path}", await http.GetStringAsync("http://localhost/again"));

        await server.Group.StopAsync(TimeSpan.Zero).Bounded();
        Assert.False(File.Exists(path));
    }
}
