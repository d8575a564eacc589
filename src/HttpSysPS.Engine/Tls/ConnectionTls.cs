using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace HttpSysPS.Engine.Tls;

/// <summary>
/// A connection's TLS session: the handshake and what it chose. The certificate comes from the SSL binding chosen for
/// the client's SNI name, then the local address and port (<see cref="TlsCertificateSelector"/>); no binding fails the
/// handshake, as in HTTP.sys. The caller runs the handshake under its HeaderWait deadline.
/// </summary>
internal sealed class ConnectionTls
{
    private ConnectionTls(SslStream stream, TlsBindingContext binding)
    {
        Stream = stream;
        Binding = binding;
        if (binding.Binding.NegotiateClientCertificate && stream.RemoteCertificate is { } remote)
        {
            ClientCertificate = remote as X509Certificate2 ?? new X509Certificate2(remote);
        }
    }

    public SslStream Stream { get; }

    public TlsBindingContext Binding { get; }

    /// <summary>The client's certificate, when the binding asks for one and the client sent it.</summary>
    public X509Certificate2? ClientCertificate { get; }

    /// <summary>The TLS session over <paramref name="inner"/>, or null when the handshake failed (reported as a dropped connection).</summary>
    public static async ValueTask<ConnectionTls?> AuthenticateAsync(Stream inner, ServiceContext service, IPAddress? localAddress, int port, EndPoint? remote, EndPoint? local, CancellationToken cancellationToken)
    {
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false);
        var selection = new Selection(service, localAddress ?? IPAddress.Any, port);
        try
        {
            // Without hostnameport bindings on the port the SNI name decides nothing: start with the ipport binding's
            // options (no selection callback, which costs .NET an extra ClientHello parse and async step per handshake).
            if (service.Tls.SelectWithoutSni(localAddress ?? IPAddress.Any, port) is { } known)
            {
                selection.Chosen = known;
                await ssl.AuthenticateAsServerAsync(known.Options, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await ssl.AuthenticateAsServerAsync(Selection.SelectAsync, selection, cancellationToken).ConfigureAwait(false);
            }

            return new ConnectionTls(ssl, selection.Chosen!);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or ObjectDisposedException or System.ComponentModel.Win32Exception)
        {
            service.ReportDropped(remote, local, "TLS_Handshake: " + Describe(e, selection.Chosen?.Binding.LogExtendedEvents == true));
            await ssl.DisposeAsync().ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>
    /// The httperr reason text: the exception's message, and for a binding with <c>logextendedevents</c> the inner
    /// messages too (the OpenSSL error, e.g. "no shared cipher" or "unsupported protocol"), which HTTP.sys would put in
    /// its extended Schannel events.
    /// </summary>
    private static string Describe(Exception e, bool extended)
    {
        if (!extended)
        {
            return e.Message;
        }

        var text = new System.Text.StringBuilder(e.Message);
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            text.Append(" <- ").Append(inner.GetType().Name).Append(": ").Append(inner.Message);
        }

        return text.ToString();
    }

    private sealed class Selection(ServiceContext service, IPAddress local, int port)
    {
        private readonly ServiceContext _service = service;
        private readonly IPAddress _local = local;
        private readonly int _port = port;

        public TlsBindingContext? Chosen { get; set; }

        public static ValueTask<SslServerAuthenticationOptions> SelectAsync(SslStream stream, SslClientHelloInfo hello, object? state, CancellationToken cancellationToken)
        {
            var selection = (Selection)state!;
            var chosen = selection._service.Tls.Select(hello.ServerName, selection._local, selection._port)
                ?? throw new AuthenticationException(
                    $"No SSL binding for hostnameport {(string.IsNullOrEmpty(hello.ServerName) ? "(no SNI)" : hello.ServerName)}:{selection._port} or ipport {selection._local}:{selection._port}.");
            selection.Chosen = chosen;
            return ValueTask.FromResult(chosen.Options);
        }
    }
}
