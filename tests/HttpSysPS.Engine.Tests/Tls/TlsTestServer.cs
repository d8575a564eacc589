using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HttpSysPS.Engine.Configuration;
using HttpSysPS.Engine.Handlers;
using HttpSysPS.Engine.Routing;
using HttpSysPS.Engine.Tests.Configuration;

namespace HttpSysPS.Engine.Tests.Tls;

/// <summary>
/// A running server with one https listener on a dynamic port, its own config store in a per-test temp directory,
/// and helpers to write SSL bindings into that store (the running server picks them up through its store watcher)
/// and to connect with <see cref="SslStream"/>. The handler answers <c>cert=&lt;client certificate thumbprint or none&gt;</c>.
/// </summary>
internal sealed class TlsTestServer : IAsyncDisposable
{
    /// <summary>Upper bound on any one wait; never paces a test (every wait ends as soon as its event happens).</summary>
    public static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _directory;
    private int _files;

    private TlsTestServer(TempDirectory directory, ServiceConfigStore store, TlsEvents events, HttpServer server, UrlGroup group)
    {
        _directory = directory;
        Store = store;
        Events = events;
        Server = server;
        Group = group;
        Port = group.RegisteredPrefixes[0].Port;
    }

    public ServiceConfigStore Store { get; }

    public TlsEvents Events { get; }

    public HttpServer Server { get; }

    public UrlGroup Group { get; }

    /// <summary>The port the listener got.</summary>
    public int Port { get; }

    public static async Task<TlsTestServer> StartAsync(string prefix = "https://127.0.0.1:0/", Func<HttpServerOptions, HttpServerOptions>? configure = null)
    {
        var directory = new TempDirectory();
        var store = new ServiceConfigStore(directory.File("config.json"));
        var events = new TlsEvents();
        var options = new HttpServerOptions { ConfigStore = store, Events = events, Authorizer = new AllowAll() };
        var server = new HttpServer(configure?.Invoke(options) ?? options);
        var group = server.CreateUrlGroup(new UrlGroupOptions("tls", [prefix]), new ClientCertificateEcho());
        await group.StartAsync();
        return new TlsTestServer(directory, store, events, server, group);
    }

    /// <summary>
    /// Writes <paramref name="certificate"/> as a PEM pair and binds it to <c>host:Port</c> (IP literal: ipport,
    /// IPv6 in brackets; name: hostnameport) in the store, then waits until the running server has applied it.
    /// </summary>
    /// <param name="chain">Certificates appended to the certificate file after the leaf, as in a <c>fullchain.pem</c>.</param>
    /// <param name="adjust">Sets the binding's other flags (<c>b => b with { DisableSessionId = true }</c>).</param>
    public async Task<SslBinding> BindAsync(string host, X509Certificate2 certificate, bool negotiateClientCertificate = false, bool disableTls12 = false, bool disableTls13 = false, X509Certificate2[]? chain = null, Func<SslBinding, SslBinding>? adjust = null)
    {
        var (cert, key) = TestCertificates.WritePem(certificate, _directory.Path, $"cert{Interlocked.Increment(ref _files)}");
        foreach (var intermediate in chain ?? [])
        {
            File.AppendAllText(cert, "\n" + intermediate.ExportCertificatePem() + "\n");
        }

        var binding = new SslBinding(
            SslBindingKey.Parse($"{host}:{Port}"),
            SslCertificateReference.FromFile(cert, key),
            NegotiateClientCertificate: negotiateClientCertificate,
            DisableTls12: disableTls12,
            DisableTls13: disableTls13);
        binding = adjust?.Invoke(binding) ?? binding;
        Store.SetSslBinding(binding);
        await WaitUntilAppliedAsync();
        return binding;
    }

    /// <summary>
    /// Waits until the server's configuration holds exactly the store's SSL bindings. The server publishes its
    /// configuration after it rebuilt the certificate lookup, so from then on every new handshake uses them.
    /// Polls (the store watcher has no completion signal) and fails with a clear message after <see cref="Bound"/>.
    /// </summary>
    public async Task WaitUntilAppliedAsync()
    {
        var expected = Store.Read().SslBindings;
        var deadline = DateTime.UtcNow + Bound;
        while (!Server.Configuration.SslBindings.SequenceEqual(expected))
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The server did not apply the store change within {Bound.TotalSeconds} s (store watcher on '{Store.Path}'). " +
                            $"Expected bindings: {string.Join(", ", expected.Select(b => b.Key))}; in force: {string.Join(", ", Server.Configuration.SslBindings.Select(b => b.Key))}.");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Connects and completes a TLS handshake. <paramref name="serverName"/> null sends no SNI (the client is given
    /// the IP literal as target host, which SslStream never sends as SNI, RFC 6066 §3).
    /// </summary>
    public async Task<TlsClient> ConnectAsync(string? serverName, IPAddress? address = null, Action<SslClientAuthenticationOptions>? configure = null)
    {
        address ??= IPAddress.Loopback;
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(address, Port).WaitAsync(Bound);
            var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
            var options = new SslClientAuthenticationOptions
            {
                TargetHost = serverName ?? address.ToString(),

                // The tests compare which certificate arrived; TlsHttpClientTests checks real chain validation.
                RemoteCertificateValidationCallback = static (_, _, _, _) => true,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            };
            configure?.Invoke(options);
            try
            {
                await ssl.AuthenticateAsClientAsync(options).WaitAsync(Bound);
            }
            catch
            {
                await ssl.DisposeAsync();
                throw;
            }

            return new TlsClient(ssl);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>The thumbprint the server presents to a client with this SNI name (null: none) on <paramref name="address"/>.</summary>
    public async Task<string> ServerThumbprintAsync(string? serverName, IPAddress? address = null)
    {
        await using var client = await ConnectAsync(serverName, address);
        return client.ServerThumbprint;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _directory.Dispose();
    }

    private sealed class AllowAll : IPrefixAuthorizer
    {
        public void EnsureCanRegister(UrlPrefix prefix)
        {
        }
    }

    private sealed class ClientCertificateEcho : IRequestHandler
    {
        public async ValueTask HandleAsync(RequestContext context, CancellationToken cancellationToken)
        {
            var body = Encoding.ASCII.GetBytes("cert=" + (context.Request.ClientCertificate?.Thumbprint ?? "none"));
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength = body.Length;
            await context.Response.WriteAsync(body, cancellationToken);
        }
    }
}
