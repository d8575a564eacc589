using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HttpSysPS.Engine.Tests.Infrastructure;

/// <summary>
/// A client over a bare socket, for bytes no real client would send: the request goes out exactly as written (no
/// normalisation of the target), and responses are read and parsed by hand.
/// </summary>
internal sealed class RawClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly List<byte> _pending = new();
    private bool _eof;

    private RawClient(Socket socket) => _socket = socket;

    /// <summary>True once the server closed its side (FIN or reset).</summary>
    public bool Closed => _eof;

    /// <summary>True when the server reset the connection.</summary>
    public bool WasReset { get; private set; }

    public static async Task<RawClient> ConnectAsync(int port, int? receiveBufferSize = null)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (receiveBufferSize is { } size)
        {
            // Set before connecting so the advertised window is small from the start.
            socket.ReceiveBufferSize = size;
        }

        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port)).Bounded();
        return new RawClient(socket);
    }

    /// <summary>
    /// Connects, optionally sends <paramref name="request"/>, and reads until the server closes. A reset may come at
    /// any step (even before the connect completes locally, when the server resets at accept); it is reported, not thrown.
    /// </summary>
    public static async Task<(byte[] Received, bool Reset)> ConnectAndReadToEndAsync(int port, string? request = null)
    {
        RawClient? client = null;
        try
        {
            client = await ConnectAsync(port);
            if (request is not null)
            {
                await client.SendAsync(request);
            }

            var received = await client.ReadToEndAsync();
            return (received, client.WasReset);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            return ([], true);
        }
        finally
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }
        }
    }

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes) => await _socket.SendAsync(bytes, SocketFlags.None).Bounded();

    /// <summary>Reads until the server closes; returns every byte received (a reset ends the read like a close).</summary>
    public async Task<byte[]> ReadToEndAsync()
    {
        while (await FillAsync())
        {
        }

        var all = _pending.ToArray();
        _pending.Clear();
        return all;
    }

    /// <summary>Reads until <paramref name="marker"/> was received; returns everything up to and including it.</summary>
    public async Task<string> ReadUntilAsync(string marker)
    {
        var bytes = Encoding.Latin1.GetBytes(marker);
        while (true)
        {
            var at = IndexOf(bytes, 0);
            if (at >= 0)
            {
                var text = Encoding.Latin1.GetString(_pending.GetRange(0, at + bytes.Length).ToArray());
                _pending.RemoveRange(0, at + bytes.Length);
                return text;
            }

            if (!await FillAsync())
            {
                throw new IOException($"The connection closed before '{marker.Replace("\r\n", "\\r\\n")}' arrived; got: {Encoding.Latin1.GetString(_pending.ToArray())}");
            }
        }
    }

    /// <summary>Reads one complete response (Content-Length, chunked, or until close).</summary>
    public async Task<RawResponse> ReadResponseAsync(bool headRequest = false)
    {
        var head = await ReadUntilAsync("\r\n\r\n");
        var lines = head[..^4].Split("\r\n");
        var headers = lines.Skip(1).Select(l =>
        {
            var colon = l.IndexOf(':');
            return new KeyValuePair<string, string>(l[..colon], l[(colon + 1)..].Trim());
        }).ToList();
        string? Get(string name) => headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

        var status = int.Parse(lines[0].Split(' ')[1]);
        if (headRequest || status is < 200 or 204 or 304)
        {
            return new RawResponse(lines[0], headers, [], false);
        }

        if (Get("Transfer-Encoding") is { } te && te.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            var body = new List<byte>();
            while (true)
            {
                var sizeLine = await ReadUntilAsync("\r\n");
                var size = Convert.ToInt32(sizeLine[..^2].Split(';')[0], 16);
                if (size == 0)
                {
                    await ReadUntilAsync("\r\n");
                    return new RawResponse(lines[0], headers, body.ToArray(), true);
                }

                body.AddRange(await ReadExactlyAsync(size));
                await ReadUntilAsync("\r\n");
            }
        }

        if (Get("Content-Length") is { } cl)
        {
            return new RawResponse(lines[0], headers, await ReadExactlyAsync(int.Parse(cl)), false);
        }

        return new RawResponse(lines[0], headers, await ReadToEndAsync(), false);
    }

    /// <summary>Sends a request and reads its response.</summary>
    public async Task<RawResponse> RoundTripAsync(string request, bool headRequest = false)
    {
        await SendAsync(request);
        return await ReadResponseAsync(headRequest);
    }

    /// <summary>Bytes received but not yet consumed by a read method.</summary>
    public int Pending => _pending.Count;

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes (throws when the connection closes first).</summary>
    public async Task<byte[]> ReadExactlyAsync(int count)
    {
        while (_pending.Count < count)
        {
            if (!await FillAsync())
            {
                throw new IOException($"The connection closed after {_pending.Count} of {count} body bytes.");
            }
        }

        var bytes = _pending.GetRange(0, count).ToArray();
        _pending.RemoveRange(0, count);
        return bytes;
    }

    private async Task<bool> FillAsync()
    {
        if (_eof)
        {
            return false;
        }

        var buffer = new byte[16384];
        int n;
        try
        {
            n = await _socket.ReceiveAsync(buffer, SocketFlags.None).Bounded();
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            WasReset = true;
            n = 0;
        }

        if (n == 0)
        {
            _eof = true;
            return false;
        }

        _pending.AddRange(buffer.AsSpan(0, n));
        return true;
    }

    private int IndexOf(byte[] marker, int from)
    {
        for (var i = from; i <= _pending.Count - marker.Length; i++)
        {
            var match = true;
            for (var j = 0; j < marker.Length && match; j++)
            {
                match = _pending[i + j] == marker[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }
}
