using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;

namespace HttpSysPS.Engine.Tests.Tls;

/// <summary>TLS versions (1.2 and 1.3 only; the binding's disable flags) and ALPN.</summary>
public sealed class ProtocolTests
{
    /// <summary>
    /// A raw ClientHello offering only TLS 1.0 or 1.1 gets a protocol_version alert or a closed connection, never a
    /// ServerHello. The TLS 1.2 row sends the same hello with only the version changed and must get a ServerHello,
    /// so the refusal is about the version and not about a malformed hello.
    /// </summary>
    [Theory]
    [InlineData((ushort)0x0301, false)]
    [InlineData((ushort)0x0302, false)]
    [InlineData((ushort)0x0303, true)]
    public async Task Only_TLS_1_2_and_later_are_accepted_from_a_client_that_offers_one_version(ushort version, bool accepted)
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync();
        await server.BindAsync("127.0.0.1", ca.IssueServer("127.0.0.1"));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, server.Port).WaitAsync(TlsTestServer.Bound);

        await socket.SendAsync(RawClientHello.Build(version)).WaitAsync(TlsTestServer.Bound);
        var answer = await ReadRecordHeadAsync(socket);

        if (accepted)
        {
            Assert.True(answer.Length >= 11, $"expected a ServerHello, got {answer.Length} bytes");
            Assert.Equal(RawClientHello.HandshakeRecord, answer[0]);
            Assert.Equal(RawClientHello.ServerHello, answer[5]);
            Assert.Equal(version, (ushort)((answer[9] << 8) | answer[10]));
        }
        else
        {
            // OpenSSL answers with a fatal protocol_version alert; a plain close would also be a refusal.
            if (answer.Length > 0)
            {
                Assert.Equal(RawClientHello.AlertRecord, answer[0]);
                Assert.Equal(RawClientHello.ProtocolVersionAlert, answer[6]);
            }

            await server.Events.WaitForDropAsync(r => r.StartsWith("TLS_Handshake", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData(false, SslProtocols.Tls13, true)]
    [InlineData(false, SslProtocols.Tls12, true)]
    [InlineData(true, SslProtocols.Tls13, false)]
    [InlineData(true, SslProtocols.Tls12, true)]
    public async Task DisableTls13_refuses_a_TLS_1_3_only_client_and_still_serves_TLS_1_2(bool disableTls13, SslProtocols client, bool accepted)
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync();
        await server.BindAsync("127.0.0.1", ca.IssueServer("127.0.0.1"), disableTls13: disableTls13);

        var connect = server.ConnectAsync(null, configure: o => o.EnabledSslProtocols = client);

        if (accepted)
        {
            await using var connection = await connect;
            Assert.Equal(client, connection.Stream.SslProtocol);
            Assert.Equal(200, (await connection.GetAsync()).Status);
        }
        else
        {
            var failure = await Record.ExceptionAsync(() => connect);
            Assert.True(failure is AuthenticationException or IOException, $"expected a failed handshake, got {failure?.GetType().Name ?? "success"}");
            await server.Events.WaitForDropAsync(r => r.StartsWith("TLS_Handshake", StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// logextendedevents: the TLS_Handshake line of a binding with the flag carries OpenSSL's own reason ("unsupported
    /// protocol") after .NET's generic message; without the flag the line has .NET's message only.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task LogExtendedEvents_adds_the_TLS_library_error_to_the_handshake_failure_line(bool extended)
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync();
        await server.BindAsync("127.0.0.1", ca.IssueServer("127.0.0.1"), disableTls13: true, adjust: b => b with { LogExtendedEvents = extended });

        var failure = await Record.ExceptionAsync(() => server.ConnectAsync(null, configure: o => o.EnabledSslProtocols = SslProtocols.Tls13));

        Assert.True(failure is AuthenticationException or IOException, $"expected a failed handshake, got {failure?.GetType().Name ?? "success"}");
        var drop = await server.Events.WaitForDropAsync(r => r.StartsWith("TLS_Handshake", StringComparison.Ordinal));
        Assert.Equal(extended, drop.Reason.Contains("unsupported protocol", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task DisableTls12_refuses_a_TLS_1_2_only_client()
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync();
        await server.BindAsync("127.0.0.1", ca.IssueServer("127.0.0.1"), disableTls12: true);

        var failure = await Record.ExceptionAsync(() => server.ConnectAsync(null, configure: o => o.EnabledSslProtocols = SslProtocols.Tls12));

        Assert.True(failure is AuthenticationException or IOException, $"expected a failed handshake, got {failure?.GetType().Name ?? "success"}");
        await using var tls13 = await server.ConnectAsync(null, configure: o => o.EnabledSslProtocols = SslProtocols.Tls13);
        Assert.Equal(SslProtocols.Tls13, tls13.Stream.SslProtocol);
    }

    [Theory]
    [InlineData(SslProtocols.Tls12)]
    [InlineData(SslProtocols.Tls13)]
    public async Task ALPN_negotiates_http_1_1_when_the_client_prefers_h2(SslProtocols protocol)
    {
        using var ca = new TestCertificateAuthority();
        await using var server = await TlsTestServer.StartAsync();
        await server.BindAsync("127.0.0.1", ca.IssueServer("127.0.0.1"));

        await using var connection = await server.ConnectAsync(null, configure: o =>
        {
            o.EnabledSslProtocols = protocol;
            o.ApplicationProtocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];
        });

        Assert.Equal(SslApplicationProtocol.Http11, connection.Stream.NegotiatedApplicationProtocol);
        Assert.Equal(200, (await connection.GetAsync()).Status);
    }

    /// <summary>Reads what the server sends first: up to one record head plus 6 bytes, or nothing if it closes.</summary>
    private static async Task<byte[]> ReadRecordHeadAsync(Socket socket)
    {
        var buffer = new byte[11];
        var total = 0;
        try
        {
            while (total < buffer.Length)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(total)).AsTask().WaitAsync(TlsTestServer.Bound);
                if (read == 0)
                {
                    break;
                }

                total += read;

                // An alert record is 7 bytes in all.
                if (total >= 7 && buffer[0] == RawClientHello.AlertRecord)
                {
                    break;
                }
            }
        }
        catch (SocketException)
        {
            // Reset: the server refused without an alert.
        }

        return buffer[..total];
    }
}
