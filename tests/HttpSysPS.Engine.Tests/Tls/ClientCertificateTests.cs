using System.Security.Authentication;

namespace HttpSysPS.Engine.Tests.Tls;

/// <summary>HTTP.sys clientcertnegotiation: the certificate is asked for in the handshake only when the binding says so.</summary>
public sealed class ClientCertificateTests
{
    [Theory]
    [InlineData(true, SslProtocols.Tls13)]
    [InlineData(true, SslProtocols.Tls12)]
    [InlineData(false, SslProtocols.Tls13)]
    [InlineData(false, SslProtocols.Tls12)]
    public async Task A_client_certificate_reaches_the_handler_only_when_the_binding_negotiates_it(bool negotiate, SslProtocols protocol)
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync();
        await server.BindAsync("127.0.0.1", ca.IssueServer("127.0.0.1"), negotiateClientCertificate: negotiate);
        var clientCertificate = ca.IssueClient("alice");
        var asked = false;

        // The client always has a certificate to give; only the server's request makes it send one.
        await using var connection = await server.ConnectAsync(null, configure: o =>
        {
            o.EnabledSslProtocols = protocol;
            o.LocalCertificateSelectionCallback = (_, _, _, _, _) =>
            {
                asked = true;
                return clientCertificate;
            };
        });
        var (status, body) = await connection.GetAsync();

        Assert.Equal(200, status);
        Assert.Equal(negotiate ? $"cert={clientCertificate.Thumbprint}" : "cert=none", body);
        Assert.Equal(negotiate, connection.Stream.IsMutuallyAuthenticated);
        if (negotiate)
        {
            Assert.True(asked);
        }
    }

    [Fact]
    public async Task With_negotiation_on_a_client_without_a_certificate_is_still_served_and_the_handler_sees_none()
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync();
        await server.BindAsync("127.0.0.1", ca.IssueServer("127.0.0.1"), negotiateClientCertificate: true);

        await using var connection = await server.ConnectAsync(null);

        Assert.Equal((200, "cert=none"), await connection.GetAsync());
    }
}
