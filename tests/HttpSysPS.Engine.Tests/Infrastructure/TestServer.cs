using System.Net;
using System.Net.Sockets;
using HttpSysPS.Engine.Handlers;

namespace HttpSysPS.Engine.Tests.Infrastructure;

/// <summary>
/// An <see cref="HttpServer"/> with one started listener on a port the OS chose (<c>http://127.0.0.1:0/</c> by
/// default), recording its events and connection phases, optionally on a fake clock. One per test: no shared state.
/// </summary>
internal sealed class TestServer : IAsyncDisposable
{
    private TestServer(HttpServer server, UrlGroup group, RecordingEvents events, PhaseObserver observer, FakeTimeProvider? clock)
    {
        Server = server;
        Group = group;
        Events = events;
        Observer = observer;
        Clock = clock;
    }

    public HttpServer Server { get; }

    public UrlGroup Group { get; }

    public RecordingEvents Events { get; }

    public PhaseObserver Observer { get; }

    /// <summary>The fake clock, when the server was started with one.</summary>
    public FakeTimeProvider? Clock { get; }

    /// <summary>The real port of the first registered prefix.</summary>
    public int Port => Group.RegisteredPrefixes[0].Port;

    public static async Task<TestServer> StartAsync(
        IRequestHandler handler,
        Func<UrlGroupOptions, UrlGroupOptions>? configureGroup = null,
        Func<HttpServerOptions, HttpServerOptions>? configureServer = null,
        bool fakeClock = false,
        params string[] prefixes)
    {
        var events = new RecordingEvents();
        var observer = new PhaseObserver();
        var clock = fakeClock ? new FakeTimeProvider() : null;
        var serverOptions = new HttpServerOptions { Events = events, Observer = observer, TimeProvider = clock ?? TimeProvider.System };
        serverOptions = configureServer?.Invoke(serverOptions) ?? serverOptions;
        var server = new HttpServer(serverOptions);
        try
        {
            var groupOptions = new UrlGroupOptions("test", prefixes.Length == 0 ? ["http://127.0.0.1:0/"] : prefixes);
            groupOptions = configureGroup?.Invoke(groupOptions) ?? groupOptions;
            var group = server.CreateUrlGroup(groupOptions, handler);
            await group.StartAsync();
            return new TestServer(server, group, events, observer, clock);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>An HttpClient that talks to this server directly (no proxy).</summary>
    public HttpClient CreateClient() => new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{Port}/"), Timeout = Bounds.Wait };

    /// <summary>A raw socket connected to this server.</summary>
    public Task<RawClient> ConnectAsync(int? receiveBufferSize = null) => RawClient.ConnectAsync(Port, receiveBufferSize);

    /// <summary>Connects and sends <c>GET path</c> with <c>Connection: close</c>, without reading the answer (a request
    /// that is to wait in the queue or in a handler).</summary>
    public async Task<RawClient> SendGetAsync(string path)
    {
        var client = await ConnectAsync();
        await client.SendAsync($"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        return client;
    }

    /// <summary>Sends one request on a fresh connection and reads the response: proves the server still serves.</summary>
    public async Task<RawResponse> ProbeAsync(string path = "/probe")
    {
        await using var client = await ConnectAsync();
        return await client.RoundTripAsync($"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{Port}\r\nConnection: close\r\n\r\n");
    }

    /// <summary>Advances the fake clock.</summary>
    public void Advance(TimeSpan delta) => (Clock ?? throw new InvalidOperationException("This server runs on the real clock.")).Advance(delta);

    public async ValueTask DisposeAsync()
    {
        // Zero grace: a fake clock would never end a real grace period, and stuck test handlers must not delay the run.
        await Server.StopAsync(TimeSpan.Zero).Bounded();
        await Server.DisposeAsync().AsTask().Bounded();
    }

    /// <summary>True when nothing listens on 127.0.0.1:<paramref name="port"/> any more (a new socket can bind it).</summary>
    public static bool CanBind(int port)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            socket.Listen();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
