namespace HttpSysPS.Engine.Tests.Tls;

/// <summary>
/// OCSP stapling against a real responder (<c>openssl ocsp</c>, <see cref="TestOcspResponder"/>), checked with
/// <c>openssl s_client -status</c>: the server fetches the response for a leaf whose AIA names the responder, staples
/// it (good or revoked, as the responder says), keeps it instead of asking again per handshake, staples nothing on a
/// binding with disableocspstapling, and when the responder is down serves without a staple and says why.
/// </summary>
public sealed class OcspStaplingTests
{
    [Theory]
    [InlineData(false, "good")]
    [InlineData(true, "revoked")]
    public async Task The_responders_answer_is_stapled_and_cached(bool revoked, string status)
    {
        await using var responder = await TestOcspResponder.CreateAsync();
        var leaf = await responder.IssueAsync("leaf", revoked);
        await responder.StartAsync();
        await using var server = await TlsTestServer.StartAsync();
        await server.BindAsync("127.0.0.1", leaf, chain: responder.Chain);

        var stapled = await StapledAsync(server, null);

        Assert.Contains("OCSP Response Status: successful", stapled, StringComparison.Ordinal);
        Assert.Contains($"Cert Status: {status}", stapled, StringComparison.Ordinal);

        // The response is good for a day: later handshakes staple the same one without asking the responder again.
        var fetches = responder.Gets;
        for (var i = 0; i < 3; i++)
        {
            Assert.Contains($"Cert Status: {status}", await StatusAsync(server, null), StringComparison.Ordinal);
        }

        Assert.Equal(1, fetches);
        Assert.Equal(fetches, responder.Gets);
    }

    /// <summary>
    /// The same leaf on two bindings of one server: the one without the flag staples (so the responder is up and the
    /// server fetched), the one with disableocspstapling sends no status.
    /// </summary>
    [Fact]
    public async Task A_binding_with_disableocspstapling_staples_nothing()
    {
        await using var responder = await TestOcspResponder.CreateAsync();
        var leaf = await responder.IssueAsync("leaf");
        await responder.StartAsync();
        await using var server = await TlsTestServer.StartAsync();
        await server.BindAsync("stapled.test", leaf, chain: responder.Chain);
        await server.BindAsync("127.0.0.1", leaf, chain: responder.Chain, adjust: b => b with { DisableOcspStapling = true });

        Assert.Contains("Cert Status: good", await StapledAsync(server, "stapled.test"), StringComparison.Ordinal);

        var plain = await StatusAsync(server, null);
        Assert.Contains("OCSP response: no response sent", plain, StringComparison.Ordinal);
        Assert.Contains("New,", plain, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_responder_leaves_handshakes_unstapled_and_is_logged()
    {
        await using var responder = await TestOcspResponder.CreateAsync();
        var leaf = await responder.IssueAsync("leaf");
        await using var server = await TlsTestServer.StartAsync();
        await server.BindAsync("127.0.0.1", leaf, chain: responder.Chain);

        var warning = await server.Events.WaitForWarningAsync(w => w.Contains("OCSP", StringComparison.Ordinal));
        var output = await StatusAsync(server, null);

        Assert.Contains($"http://127.0.0.1:{responder.Port}/", warning, StringComparison.Ordinal);
        Assert.Contains("cannot be reached", warning, StringComparison.Ordinal);
        Assert.Contains("OCSP response: no response sent", output, StringComparison.Ordinal);
        Assert.Contains("New,", output, StringComparison.Ordinal);
    }

    /// <summary>
    /// Handshakes until one carries a staple: the server fetches in the background and does not hold a handshake for
    /// it, so the first handshakes after a binding loads may go without. Bounded by <see cref="TlsTestServer.Bound"/>.
    /// </summary>
    private static async Task<string> StapledAsync(TlsTestServer server, string? serverName)
    {
        var deadline = DateTime.UtcNow + TlsTestServer.Bound;
        while (true)
        {
            var output = await StatusAsync(server, serverName);
            if (output.Contains("OCSP Response Status", StringComparison.Ordinal))
            {
                return output;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No OCSP staple within {TlsTestServer.Bound.TotalSeconds} s; last handshake:\n{output}");
            await Task.Delay(20);
        }
    }

    /// <summary><c>openssl s_client -status</c> (with <c>-servername</c> when given): its whole output.</summary>
    private static async Task<string> StatusAsync(TlsTestServer server, string? serverName)
    {
        string[] args = serverName is null
            ? ["s_client", "-connect", $"127.0.0.1:{server.Port}", "-status"]
            : ["s_client", "-connect", $"127.0.0.1:{server.Port}", "-status", "-servername", serverName];
        var (_, output) = await OpenSslTool.RunAsync(string.Empty, args);
        return output;
    }
}
