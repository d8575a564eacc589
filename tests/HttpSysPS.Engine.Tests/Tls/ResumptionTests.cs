using System.Net;
using System.Net.Sockets;
using HttpSysPS.Engine.Tests.Configuration;

namespace HttpSysPS.Engine.Tests.Tls;

/// <summary>
/// Session resumption under the binding's disablesessionid / enablesessionticket flags (docs/https.md "Session
/// resumption"), checked with <c>openssl s_client -sess_out</c> then <c>-sess_in</c>: the second handshake prints
/// <c>Reused</c> when the server resumed the saved session and <c>New</c> when it made a full handshake.
/// </summary>
public sealed class ResumptionTests
{
    // An HTTP request read to its end, so s_client also reads the TLS 1.3 tickets the server sends after the handshake.
    private const string Request = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";

    /// <summary>
    /// <paramref name="noTicket"/> makes the TLS 1.2 client refuse tickets, so only a session ID can resume it. With
    /// resumption allowed the server resumes by session ID, by TLS 1.2 ticket and by TLS 1.3 ticket; with
    /// <c>disablesessionid</c> alone it resumes nothing; adding <c>enablesessionticket</c> turns it back on.
    /// </summary>
    [Theory]
    [InlineData("-tls1_2", true, false, false, "Reused")]
    [InlineData("-tls1_2", false, false, false, "Reused")]
    [InlineData("-tls1_3", false, false, false, "Reused")]
    [InlineData("-tls1_2", true, true, false, "New")]
    [InlineData("-tls1_2", false, true, false, "New")]
    [InlineData("-tls1_3", false, true, false, "New")]
    [InlineData("-tls1_2", false, true, true, "Reused")]
    [InlineData("-tls1_3", false, true, true, "Reused")]
    public async Task Openssl_s_client_resumes_a_saved_session_as_the_binding_flags_say(string protocol, bool noTicket, bool disableSessionId, bool enableSessionTicket, string expected)
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync();
        await server.BindAsync("127.0.0.1", ca.IssueServer("127.0.0.1"), adjust: b => b with { DisableSessionId = disableSessionId, EnableSessionTicket = enableSessionTicket });
        using var dir = new TempDirectory();
        var session = dir.File("session.pem");

        var first = await RunAsync(server, protocol, noTicket, "-sess_out", session);
        Assert.StartsWith("New,", Outcome(first));
        if (!File.Exists(session))
        {
            // s_client saves only a resumable session: over TLS 1.2 without a session cache the server sends an empty
            // session ID and no ticket, so there is nothing to offer back — the strongest form of "New".
            Assert.Equal("New", expected);
            Assert.Matches(@"Session-ID: *\r?\n", first);
            Assert.DoesNotContain("session ticket", first, StringComparison.Ordinal);
            return;
        }

        Assert.StartsWith(expected + ",", await HandshakeAsync(server, protocol, noTicket, "-sess_in", session));
    }

    /// <summary>
    /// The flag is read per handshake from the binding in force: a session saved while resumption was on is not resumed
    /// once the store says disablesessionid, and sessions resume again after the flag is cleared — without a restart.
    /// </summary>
    [Theory]
    [InlineData("-tls1_2")]
    [InlineData("-tls1_3")]
    public async Task Changing_disablesessionid_in_the_store_applies_to_the_next_handshake(string protocol)
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync();
        var binding = await server.BindAsync("127.0.0.1", ca.IssueServer("127.0.0.1"));
        using var dir = new TempDirectory();
        await HandshakeAsync(server, protocol, false, "-sess_out", dir.File("saved.pem"));

        server.Store.SetSslBinding(binding with { DisableSessionId = true });
        await server.WaitUntilAppliedAsync();
        Assert.StartsWith("New,", await HandshakeAsync(server, protocol, false, "-sess_in", dir.File("saved.pem")));

        server.Store.SetSslBinding(binding);
        await server.WaitUntilAppliedAsync();
        await HandshakeAsync(server, protocol, false, "-sess_out", dir.File("again.pem"));
        Assert.StartsWith("Reused,", await HandshakeAsync(server, protocol, false, "-sess_in", dir.File("again.pem")));
    }

    /// <summary>
    /// HttpClient keeps one TLS connection for sequential requests, and over fresh connections (Connection: close) it
    /// is served whether or not the binding lets it resume (.NET's client offers its cached session for "localhost").
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HttpClient_reuses_its_connection_and_reconnects_with_resumption_on_or_off(bool disableSessionId)
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync();
        await server.BindAsync("127.0.0.1", ca.IssueServer("localhost"), adjust: b => b with { DisableSessionId = disableSessionId });
        var connects = 0;
        using var client = new HttpClient(new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = ca.Validate },
            ConnectCallback = async (_, cancellationToken) =>
            {
                Interlocked.Increment(ref connects);
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, server.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        });
        var url = $"https://localhost:{server.Port}/";

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("cert=none", await client.GetStringAsync(url).WaitAsync(TlsTestServer.Bound));
        }

        Assert.Equal(1, connects);
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url) { Headers = { ConnectionClose = true } };
            using var response = await client.SendAsync(request).WaitAsync(TlsTestServer.Bound);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // The first close request still goes over the pooled connection; the next two each open their own.
        Assert.Equal(3, connects);
    }

    /// <summary>One s_client handshake (and request); returns its "New, ..." or "Reused, ..." line.</summary>
    private static async Task<string> HandshakeAsync(TlsTestServer server, string protocol, bool noTicket, string sessionOption, string sessionFile) =>
        Outcome(await RunAsync(server, protocol, noTicket, sessionOption, sessionFile));

    /// <summary>One s_client handshake and request; its whole output.</summary>
    private static async Task<string> RunAsync(TlsTestServer server, string protocol, bool noTicket, string sessionOption, string sessionFile)
    {
        var args = new List<string> { "s_client", "-connect", $"127.0.0.1:{server.Port}", protocol, "-ign_eof", sessionOption, sessionFile };
        if (noTicket)
        {
            args.Add("-no_ticket");
        }

        // The exit code is not checked: the server closes after its Connection: close answer without close_notify
        // (as HTTP.sys does), which s_client reports as an unexpected EOF after the handshake it printed.
        var (_, output) = await OpenSslTool.RunAsync(Request, [.. args]);
        return $"openssl {string.Join(' ', args)}\n{output}";
    }

    private static string Outcome(string output) =>
        output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("New,", StringComparison.Ordinal) || l.StartsWith("Reused,", StringComparison.Ordinal))
        ?? throw new Xunit.Sdk.XunitException($"s_client printed no New/Reused line:\n{output}");
}
