using System.Security.Authentication;

namespace HttpSysPS.Engine.Tests.Tls;

/// <summary>Live rebinding: a store write on a running server changes the certificate of the next handshake only.</summary>
public sealed class RebindingTests
{
    [Fact]
    public async Task Rebinding_changes_the_certificate_of_the_next_connection_and_not_of_an_open_one()
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync();
        var before = ca.IssueServer("127.0.0.1");
        var after = ca.IssueServer("127.0.0.1");
        await server.BindAsync("127.0.0.1", before);

        await using var open = await server.ConnectAsync(null);
        Assert.Equal(before.Thumbprint, open.ServerThumbprint);
        Assert.Equal(200, (await open.GetAsync()).Status);

        // Same key, new certificate: what `httpsys update sslcert` or Set-SslBinding does while the server runs.
        await server.BindAsync("127.0.0.1", after);

        Assert.Equal(after.Thumbprint, await server.ServerThumbprintAsync(null));

        // The connection opened before keeps its session and keeps working.
        Assert.Equal(before.Thumbprint, open.ServerThumbprint);
        Assert.Equal(200, (await open.GetAsync()).Status);
    }

    [Fact]
    public async Task Removing_the_binding_makes_the_next_handshake_fail()
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync();
        var binding = await server.BindAsync("127.0.0.1", ca.IssueServer("127.0.0.1"));
        await using var open = await server.ConnectAsync(null);

        server.Store.RemoveSslBinding(binding.Key);
        await server.WaitUntilAppliedAsync();

        var failure = await Record.ExceptionAsync(() => server.ConnectAsync(null));
        Assert.True(failure is AuthenticationException or IOException, $"expected a failed handshake, got {failure?.GetType().Name ?? "success"}");
        await server.Events.WaitForDropAsync(r => r.StartsWith("TLS_Handshake", StringComparison.Ordinal));
        Assert.Equal(200, (await open.GetAsync()).Status);
    }
}
