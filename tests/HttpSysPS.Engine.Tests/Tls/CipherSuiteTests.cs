using System.Diagnostics;
using System.Runtime.Versioning;
using System.Net.Security;
using System.Security.Authentication;

namespace HttpSysPS.Engine.Tests.Tls;

/// <summary>
/// TLS 1.2 suites (docs/https.md "Cipher suites"): a binding without resumption (disablesessionid) offers AEAD suites
/// only (ECDHE with AES-GCM or ChaCha20-Poly1305) and refuses CBC (LUCKY13, testssl's complaint); a binding with
/// resumption — the default — has .NET's default list, because .NET resumes only without a CipherSuitesPolicy: ECDHE
/// with AES-GCM first (server preference), then ECDHE with AES-CBC-SHA256/384 for clients that offer nothing else; no
/// SHA-1 CBC and no TLS 1.2 ChaCha20. TLS 1.3 keeps its three default suites either way. Checked with SslStream
/// restricted to chosen suites and with <c>openssl s_client</c>. (Windows has no CipherSuitesPolicy: there the OS
/// default applies.)
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
    public async Task A_TLS_1_2_client_offering_only_CBC_suites_fails_the_handshake_on_a_binding_without_resumption()
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync();
        await BindAsync(server, ca, resumable: false);

        var failure = await Record.ExceptionAsync(() => server.ConnectAsync(null, configure: o =>
        {
            o.EnabledSslProtocols = SslProtocols.Tls12;
            o.CipherSuitesPolicy = new CipherSuitesPolicy(CbcSuites);
        }));

        Assert.True(failure is AuthenticationException or IOException, $"expected a failed handshake, got {failure?.GetType().Name ?? "success"}");
        await server.Events.WaitForDropAsync(r => r.StartsWith("TLS_Handshake", StringComparison.Ordinal));
    }

    /// <summary>The price of resumption: a client that offers only CBC gets ECDHE with AES-CBC and SHA-2 (never SHA-1).</summary>
    [Fact]
    public async Task A_TLS_1_2_client_offering_only_CBC_suites_gets_CBC_SHA2_on_a_binding_with_resumption()
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync();
        await BindAsync(server, ca, resumable: true);

        await using var connection = await server.ConnectAsync(null, configure: o =>
        {
            o.EnabledSslProtocols = SslProtocols.Tls12;
            o.CipherSuitesPolicy = new CipherSuitesPolicy(CbcSuites);
        });

        Assert.Contains(connection.Stream.NegotiatedCipherSuite, CbcSuites[..2]);
    }

    [Theory]
    [InlineData(SslProtocols.Tls12, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, false)]
    [InlineData(SslProtocols.Tls12, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, false)]
    [InlineData(SslProtocols.Tls12, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, false)]
    [InlineData(SslProtocols.Tls13, TlsCipherSuite.TLS_AES_128_GCM_SHA256, false)]
    [InlineData(SslProtocols.Tls13, TlsCipherSuite.TLS_AES_256_GCM_SHA384, false)]
    [InlineData(SslProtocols.Tls13, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256, false)]
    [InlineData(SslProtocols.Tls12, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, true)]
    [InlineData(SslProtocols.Tls12, TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, true)]
    [InlineData(SslProtocols.Tls13, TlsCipherSuite.TLS_AES_128_GCM_SHA256, true)]
    [InlineData(SslProtocols.Tls13, TlsCipherSuite.TLS_AES_256_GCM_SHA384, true)]
    [InlineData(SslProtocols.Tls13, TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256, true)]
    public async Task Every_AEAD_suite_of_the_binding_is_offered(SslProtocols protocol, TlsCipherSuite suite, bool resumable)
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync();
        await BindAsync(server, ca, resumable);

        await using var connection = await server.ConnectAsync(null, configure: o =>
        {
            o.EnabledSslProtocols = protocol;
            o.CipherSuitesPolicy = new CipherSuitesPolicy([suite]);
        });

        Assert.Equal(suite, connection.Stream.NegotiatedCipherSuite);
        Assert.Equal(200, (await connection.GetAsync()).Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_default_TLS_1_2_client_gets_an_AEAD_suite(bool resumable)
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync();
        await BindAsync(server, ca, resumable);

        await using var connection = await server.ConnectAsync(null, configure: o => o.EnabledSslProtocols = SslProtocols.Tls12);

        var suite = connection.Stream.NegotiatedCipherSuite.ToString();
        Assert.True(suite.Contains("_GCM_", StringComparison.Ordinal) || suite.Contains("_CHACHA20_POLY1305_", StringComparison.Ordinal), suite);
    }

    /// <summary><c>openssl s_client -tls1_2 -cipher X</c>: exit 0 after a completed handshake, non-zero when the server refuses.</summary>
    [Theory]
    [InlineData("ECDHE-ECDSA-AES128-SHA256", false, false)]
    [InlineData("ECDHE-ECDSA-AES256-SHA384", false, false)]
    [InlineData("ECDHE-ECDSA-AES128-SHA", false, false)]
    [InlineData("ECDHE-ECDSA-AES128-GCM-SHA256", false, true)]
    [InlineData("ECDHE-ECDSA-CHACHA20-POLY1305", false, true)]
    [InlineData("ECDHE-ECDSA-AES128-SHA256", true, true)]
    [InlineData("ECDHE-ECDSA-AES256-SHA384", true, true)]
    [InlineData("ECDHE-ECDSA-AES128-SHA", true, false)]
    [InlineData("ECDHE-ECDSA-AES128-GCM-SHA256", true, true)]
    [InlineData("ECDHE-ECDSA-CHACHA20-POLY1305", true, false)]
    public async Task Openssl_s_client_over_TLS_1_2_gets_the_suites_of_the_binding(string cipher, bool resumable, bool accepted)
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync();
        await BindAsync(server, ca, resumable);

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

    /// <summary>Resumption on (the default) or off (disablesessionid), which decides the TLS 1.2 suite list.</summary>
    private static Task BindAsync(TlsTestServer server, TestCertificateAuthority ca, bool resumable) =>
        server.BindAsync("127.0.0.1", ca.IssueServer("127.0.0.1"), adjust: b => b with { DisableSessionId = !resumable });
}
