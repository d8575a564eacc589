using System.Net;
using System.Security.Authentication;

namespace HttpSysPS.Engine.Tests.Tls;

/// <summary>
/// Which certificate a handshake gets (spec §3.2): the hostnameport binding for the SNI name, else the ipport binding
/// for the local address, else the wildcards; nothing at all fails the handshake. Real handshakes with SslStream.
/// </summary>
public sealed class CertificateSelectionTests
{
    [Fact]
    public async Task Two_host_names_on_one_port_get_their_own_certificates()
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync();
        var alpha = ca.IssueServer("alpha.test");
        var beta = ca.IssueServer("beta.test");
        await server.BindAsync("alpha.test", alpha);
        await server.BindAsync("beta.test", beta);

        Assert.Equal(alpha.Thumbprint, await server.ServerThumbprintAsync("alpha.test"));
        Assert.Equal(beta.Thumbprint, await server.ServerThumbprintAsync("beta.test"));

        // SNI names compare case-insensitively (RFC 6066 §3: DNS host names).
        Assert.Equal(beta.Thumbprint, await server.ServerThumbprintAsync("BETA.Test"));
    }

    /// <summary>
    /// A port with only an ipport binding starts its handshakes with that binding, without reading the ClientHello for
    /// a selection; a hostnameport binding added to the port later still wins for its name from the next handshake on.
    /// </summary>
    [Fact]
    public async Task A_host_name_binding_added_to_a_port_with_only_an_ip_binding_wins_for_its_name()
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync();
        var byAddress = ca.IssueServer("127.0.0.1");
        var named = ca.IssueServer("alpha.test");
        await server.BindAsync("127.0.0.1", byAddress);
        Assert.Equal(byAddress.Thumbprint, await server.ServerThumbprintAsync("alpha.test"));

        await server.BindAsync("alpha.test", named);

        Assert.Equal(named.Thumbprint, await server.ServerThumbprintAsync("alpha.test"));
        Assert.Equal(byAddress.Thumbprint, await server.ServerThumbprintAsync(null));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("unbound.test")]
    public async Task Without_a_matching_SNI_binding_the_ip_port_certificate_is_used(string? serverName)
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync();
        var named = ca.IssueServer("alpha.test");
        var byAddress = ca.IssueServer("127.0.0.1");
        await server.BindAsync("alpha.test", named);
        await server.BindAsync("127.0.0.1", byAddress);

        Assert.Equal(byAddress.Thumbprint, await server.ServerThumbprintAsync(serverName));
        Assert.Equal(named.Thumbprint, await server.ServerThumbprintAsync("alpha.test"));
    }

    [Theory]
    [InlineData("unbound.test")]
    [InlineData(null)]
    public async Task With_only_host_name_bindings_an_unknown_or_missing_SNI_fails_the_handshake(string? serverName)
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync();
        await server.BindAsync("alpha.test", ca.IssueServer("alpha.test"));

        var failure = await Record.ExceptionAsync(() => server.ConnectAsync(serverName));

        Assert.True(failure is AuthenticationException or IOException, $"expected a failed handshake, got {failure?.GetType().Name ?? "success"}");
        var drop = await server.Events.WaitForDropAsync(r => r.StartsWith("TLS_Handshake", StringComparison.Ordinal));
        Assert.Contains(serverName ?? "(no SNI)", drop.Reason, StringComparison.Ordinal);
        Assert.Contains($":{server.Port}", drop.Reason, StringComparison.Ordinal);

        // The bound name still works: the failure was the selection, not the endpoint.
        await using var bound = await server.ConnectAsync("alpha.test");
        Assert.Equal(200, (await bound.GetAsync()).Status);
    }

    [Fact]
    public async Task A_specific_IP_binding_beats_0_0_0_0_which_covers_the_other_addresses()
    {
        using var ca = new TestCertificateAuthority();

        // A strong-wildcard prefix listens on every address, so one port is reachable on 127.0.0.1, 127.0.0.2 and ::1.
        await using var server = await TlsTestServer.StartAsync("https://+:0/");
        var any = ca.IssueServer("any.test");
        var loopback = ca.IssueServer("127.0.0.1");
        await server.BindAsync("0.0.0.0", any);
        await server.BindAsync("127.0.0.1", loopback);

        Assert.Equal(loopback.Thumbprint, await server.ServerThumbprintAsync(null, IPAddress.Loopback));
        Assert.Equal(any.Thumbprint, await server.ServerThumbprintAsync(null, IPAddress.Parse("127.0.0.2")));

        // 0.0.0.0:port covers IPv6 addresses too (spec §3.2).
        Assert.Equal(any.Thumbprint, await server.ServerThumbprintAsync(null, IPAddress.IPv6Loopback));
    }

    [Fact]
    public async Task For_IPv6_the_IPv6_wildcard_beats_0_0_0_0_and_never_serves_IPv4()
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync("https://+:0/");
        var any = ca.IssueServer("any.test");
        var any6 = ca.IssueServer("any6.test");
        await server.BindAsync("0.0.0.0", any);
        await server.BindAsync("[::]", any6);

        // Our choice where spec §3.2 is [U] (docs/provisioning.md): the narrower wildcard first, like a specific address.
        Assert.Equal(any6.Thumbprint, await server.ServerThumbprintAsync(null, IPAddress.IPv6Loopback));
        Assert.Equal(any.Thumbprint, await server.ServerThumbprintAsync(null, IPAddress.Loopback));
    }

    [Fact]
    public async Task The_intermediates_in_a_full_chain_PEM_file_are_sent_with_the_certificate()
    {
        using var root = new TestCertificateAuthority("Test Root");
        using var intermediate = new TestCertificateAuthority("Test Intermediate", root);
        await using var server = await TlsTestServer.StartAsync();
        var leaf = intermediate.IssueServer("chain.test");
        await server.BindAsync("chain.test", leaf, chain: [intermediate.Root]);
        string[] sent = [];
        var validates = false;

        await using var connection = await server.ConnectAsync("chain.test", configure: o => o.RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
        {
            // What the server sent besides the leaf; a client that trusts only the root needs it to build the chain.
            sent = chain!.ChainPolicy.ExtraStore.Select(c => c.Thumbprint).ToArray();
            using var pinned = new System.Security.Cryptography.X509Certificates.X509Chain();
            pinned.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
            pinned.ChainPolicy.CustomTrustStore.Add(root.Root);
            pinned.ChainPolicy.ExtraStore.AddRange(chain.ChainPolicy.ExtraStore);
            pinned.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
            pinned.ChainPolicy.DisableCertificateDownloads = true;
            validates = pinned.Build(System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(certificate!.GetRawCertData()));
            return true;
        });

        Assert.Contains(intermediate.Root.Thumbprint, sent);
        Assert.True(validates);
    }
}
