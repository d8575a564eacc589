using System.Net;
using System.Net.Sockets;
using System.Text;
using HttpSysPS.Engine.Handlers;

namespace HttpSysPS.Engine.Tests.Caching;

/// <summary>One server with one listener on 127.0.0.1, a free port, and an HttpClient that does nothing clever.</summary>
internal sealed class TestHost : IAsyncDisposable
{
    private TestHost(HttpServer server, UrlGroup group)
    {
        Server = server;
        Group = group;
        Port = group.RegisteredPrefixes[0].Port;
        Client = new HttpClient(new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            AllowAutoRedirect = false,
            UseProxy = false,
        })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{Port}/"),
        };
    }

    public HttpServer Server { get; }

    public UrlGroup Group { get; }

    public int Port { get; }

    public HttpClient Client { get; }

    public static async Task<TestHost> StartAsync(IRequestHandler handler, HttpServerOptions? options = null, Func<UrlGroupOptions, UrlGroupOptions>? configure = null, string prefix = "http://+:0/")
    {
        var server = new HttpServer(options);
        var groupOptions = new UrlGroupOptions("test", [prefix]);
        var group = server.CreateUrlGroup(configure?.Invoke(groupOptions) ?? groupOptions, handler);
        await group.StartAsync();
        return new TestHost(server, group);
    }

    /// <summary>GET (or another method) with extra headers; the connection closes after it when asked (fake-clock tests).</summary>
    public async Task<HttpResponseMessage> SendAsync(string path, HttpMethod? method = null, bool close = false, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        request.Headers.ConnectionClose = close;
        foreach (var (name, value) in headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.Host = value;
            }
            else if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content ??= new ByteArrayContent([]);
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (request.Method != HttpMethod.Head)
        {
            await response.Content.LoadIntoBufferAsync();
        }

        return response;
    }

    public Task<HttpResponseMessage> GetAsync(string path, params (string Name, string Value)[] headers) => SendAsync(path, null, false, headers);

    /// <summary>Sends raw bytes on a fresh connection and reads until the server closes it.</summary>
    public async Task<string> RawAsync(string request)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None);
        var received = new MemoryStream();
        var buffer = new byte[8192];
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None);
            if (n == 0)
            {
                break;
            }

            received.Write(buffer, 0, n);
        }

        return Encoding.Latin1.GetString(received.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}
