using System.Net;
using System.Net.Sockets;

namespace HttpSysPS.Engine.Tests.Tls;

/// <summary>HttpClient over https against a certificate from a private CA, validated by a callback that trusts that CA.</summary>
public sealed class HttpClientTests
{
    [Fact]
    public async Task HttpClient_gets_200_over_https_when_its_validation_trusts_the_test_CA()
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync();
        var certificate = ca.IssueServer("localhost");
        await server.BindAsync("localhost", certificate);
        X509Thumb? seen = null;
        using var client = Client(server, (sender, cert, chain, errors) =>
        {
            seen = new X509Thumb(cert?.GetCertHashString());
            return ca.Validate(sender, cert, chain, errors);
        });

        using var response = await client.GetAsync($"https://localhost:{server.Port}/").WaitAsync(TlsTestServer.Bound);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Version(1, 1), response.Version);
        Assert.Equal("cert=none", await response.Content.ReadAsStringAsync());
        Assert.Equal(certificate.Thumbprint, seen?.Value);
    }

    [Fact]
    public async Task HttpClient_refuses_the_server_when_its_validation_trusts_another_CA()
    {
        using var ca = new TestCertificateAuthority();
        using var other = new TestCertificateAuthority("Another CA");
        await using var server = await TlsTestServer.StartAsync();
        await server.BindAsync("localhost", ca.IssueServer("localhost"));
        using var client = Client(server, other.Validate);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync($"https://localhost:{server.Port}/").WaitAsync(TlsTestServer.Bound));
    }

    /// <summary>An HttpClient whose connections go to 127.0.0.1 (the listener's address) whatever localhost resolves to; SNI stays "localhost".</summary>
    private static HttpClient Client(TlsTestServer server, System.Net.Security.RemoteCertificateValidationCallback validate) => new(new SocketsHttpHandler
    {
        SslOptions = { RemoteCertificateValidationCallback = validate },
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, server.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });

    private sealed record X509Thumb(string? Value);
}
