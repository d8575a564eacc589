using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace HttpSysPS.Engine.Tests.Tls;

/// <summary>A TLS client connection with a minimal HTTP/1.1 exchange on top.</summary>
internal sealed class TlsClient : IAsyncDisposable
{
    public TlsClient(SslStream stream)
    {
        Stream = stream;
    }

    public SslStream Stream { get; }

    public string ServerThumbprint => new X509Certificate2(Stream.RemoteCertificate!).Thumbprint;

    /// <summary>Sends <c>GET path</c> (keep-alive) and reads one Content-Length response: status and body.</summary>
    public async Task<(int Status, string Body)> GetAsync(string path = "/")
    {
        var request = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: test\r\n\r\n");
        await Stream.WriteAsync(request).AsTask().WaitAsync(TlsTestServer.Bound);
        var received = new List<byte>();
        var buffer = new byte[4096];
        int headEnd;
        while ((headEnd = IndexOfHeadEnd(received)) < 0)
        {
            var read = await Stream.ReadAsync(buffer).AsTask().WaitAsync(TlsTestServer.Bound);
            Assert.True(read > 0, "The server closed the connection before a complete response head.");
            received.AddRange(buffer.AsSpan(0, read));
        }

        var head = Encoding.ASCII.GetString(received.GetRange(0, headEnd).ToArray());
        var status = int.Parse(head.Split(' ')[1]);
        var lengthLine = head.Split("\r\n").Single(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var length = int.Parse(lengthLine["Content-Length:".Length..].Trim());
        while (received.Count < headEnd + 4 + length)
        {
            var read = await Stream.ReadAsync(buffer).AsTask().WaitAsync(TlsTestServer.Bound);
            Assert.True(read > 0, "The server closed the connection inside the response body.");
            received.AddRange(buffer.AsSpan(0, read));
        }

        return (status, Encoding.ASCII.GetString(received.GetRange(headEnd + 4, length).ToArray()));
    }

    public ValueTask DisposeAsync() => Stream.DisposeAsync();

    private static int IndexOfHeadEnd(List<byte> bytes)
    {
        for (var i = 0; i + 3 < bytes.Count; i++)
        {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n')
            {
                return i;
            }
        }

        return -1;
    }
}
