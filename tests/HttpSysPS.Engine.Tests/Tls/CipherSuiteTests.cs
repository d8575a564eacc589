using System.Diagnostics;
using System.Runtime.Versioning;
using System.Net.Security;
using System.Security.Authentication;

namespace HttpSysPS.Engine.Tests.Tls;

/// <summary>
/// TLS 1.2 offers AEAD suites only (ECDHE with AES-GCM or ChaCha20-Poly1305): CBC suites (LUCKY13, testssl's
/// complaint) are refused; TLS 1.3 keeps its three default suites. Checked with SslStream restricted to chosen suites
/// and with <c>openssl s_client</c>. (Windows has no CipherSuitesPolicy: there the OS default applies, see docs/https.md.)
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class CipherSuiteTests
{
    private static readonly TlsCipherSuite[] CbcSuites =
    [
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    ];

    [Fact]
    public async Task A_TLS_1_2_client_offering_only_CBC_suites_fails_the_handshake()
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync();
        await server.BindAsync("127.0.0.1", ca.IssueServer("127.0.0.1"));

        var failure = await Record.ExceptionAsync(() => server.ConnectAsync(null, configure: o =>
        {
            o.EnabledSslProtocols = SslProtocols.Tls12;
            o.CipherSuitesPolicy = new CipherSuitesPolicy(CbcSuites);
        }));

        Assert.True(failure is AuthenticationException or IOException, $"expected a failed handshake, got {failure?.GetType().Name ?? "success"}");
        await server.Events.WaitForDropAsync(r => r.StartsWith("TLS_Handshake", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(SslProtocols.Tls12, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256)]
    [InlineData(SslProtocols.Tls12, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384)]
    [InlineData(SslProtocols.Tls12, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256)]
    [InlineData(SslProtocols.Tls13, TlsCipherSuite.TLS_AES_128_GCM_SHA256)]
    [InlineData(SslProtocols.Tls13, TlsCipherSuite.TLS_AES_256_GCM_SHA384)]
    [InlineData(SslProtocols.Tls13, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256)]
    public async Task Every_AEAD_suite_is_offered(SslProtocols protocol, TlsCipherSuite suite)
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync();
        await server.BindAsync("127.0.0.1", ca.IssueServer("127.0.0.1"));

        await using var connection = await server.ConnectAsync(null, configure: o =>
        {
            o.EnabledSslProtocols = protocol;
            o.CipherSuitesPolicy = new CipherSuitesPolicy([suite]);
        });

        Assert.Equal(suite, connection.Stream.NegotiatedCipherSuite);
        Assert.Equal(200, (await connection.GetAsync()).Status);
    }

    [Fact]
    public async Task A_default_TLS_1_2_client_gets_an_AEAD_suite()
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync();
        await server.BindAsync("127.0.0.1", ca.IssueServer("127.0.0.1"));

        await using var connection = await server.ConnectAsync(null, configure: o => o.EnabledSslProtocols = SslProtocols.Tls12);

        var suite = connection.Stream.NegotiatedCipherSuite.ToString();
        Assert.True(suite.Contains("_GCM_", StringComparison.Ordinal) || suite.Contains("_CHACHA20_POLY1305_", StringComparison.Ordinal), suite);
    }

    /// <summary><c>openssl s_client -tls1_2 -cipher X</c>: exit 0 after a completed handshake, non-zero when the server refuses.</summary>
    [Theory]
    [InlineData("ECDHE-ECDSA-AES128-SHA256", false)]
    [InlineData("ECDHE-ECDSA-AES256-SHA384", false)]
    [InlineData("ECDHE-ECDSA-AES128-SHA", false)]
    [InlineData("ECDHE-ECDSA-AES128-GCM-SHA256", true)]
    [InlineData("ECDHE-ECDSA-CHACHA20-POLY1305", true)]
    public async Task Openssl_s_client_over_TLS_1_2_gets_AEAD_only(string cipher, bool accepted)
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync();
        await server.BindAsync("127.0.0.1", ca.IssueServer("127.0.0.1"));

        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "s_client", "-connect", $"127.0.0.1:{server.Port}", "-tls1_2", "-cipher", cipher, "-brief" })
        {
            start.ArgumentList.Add(arg);
        }

        using var openssl = Process.Start(start)!;
        openssl.StandardInput.Close(); // EOF: s_client ends after the handshake
        var output = openssl.StandardOutput.ReadToEndAsync();
        var error = openssl.StandardError.ReadToEndAsync();
        await openssl.WaitForExitAsync().WaitAsync(TlsTestServer.Bound);
        var text = await output + await error;

        if (accepted)
        {
            Assert.True(openssl.ExitCode == 0, $"openssl s_client -cipher {cipher} failed:\n{text}");
            Assert.Contains(cipher, text);
        }
        else
        {
            Assert.True(openssl.ExitCode != 0, $"openssl s_client -cipher {cipher} completed a handshake:\n{text}");
        }
    }
}
