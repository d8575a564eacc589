using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

/// <summary>A minimal client WebSocket for load: one handshake, pre-masked frames out, server frames parsed in place.</summary>
internal sealed class RawWebSocket : IDisposable
{
    private readonly Socket _socket;
    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawWebSocket(Socket socket) => _socket = socket;

    public static async Task<RawWebSocket> ConnectAsync(Uri url)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(url.Host), url.Port));
        var request = $"GET {url.PathAndQuery} HTTP/1.1\r\nHost: {url.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None);
        var client = new RawWebSocket(socket);
        while (true)
        {
            var head = Encoding.ASCII.GetString(client._buffer, 0, client._end);
            var end = head.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                if (!head.StartsWith("HTTP/1.1 101 ", StringComparison.Ordinal))
                {
                    throw new IOException("No 101: " + head[..end]);
                }

                client._start = end + 4;
                return client;
            }

            await client.FillAsync();
        }
    }

    /// <summary>A masked binary frame carrying <paramref name="payload"/> (the mask is fixed: the server unmasks it all the same).</summary>
    public static byte[] MaskedBinaryFrame(byte[] payload)
    {
        var header = payload.Length < 126 ? 2 : payload.Length <= ushort.MaxValue ? 4 : 10;
        var frame = new byte[header + 4 + payload.Length];
        frame[0] = 0x82;
        if (header == 2)
        {
            frame[1] = (byte)(0x80 | payload.Length);
        }
        else if (header == 4)
        {
            frame[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        }
        else
        {
            frame[1] = 0x80 | 127;
            BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(2), (ulong)payload.Length);
        }

        byte[] mask = [0x12, 0x34, 0x56, 0x78];
        mask.CopyTo(frame, header);
        for (var i = 0; i < payload.Length; i++)
        {
            frame[header + 4 + i] = (byte)(payload[i] ^ mask[i % 4]);
        }

        return frame;
    }

    public async Task SendAsync(byte[] frame)
    {
        var sent = 0;
        while (sent < frame.Length)
        {
            sent += await _socket.SendAsync(frame.AsMemory(sent), SocketFlags.None);
        }
    }

    /// <summary>Reads one whole message (its frames up to FIN; pings and pongs skipped) and checks it equals <paramref name="expected"/>.</summary>
    public async Task<bool> ReceiveMessageAsync(byte[] expected)
    {
        var received = 0;
        while (true)
        {
            bool fin;
            int opcode, payloadStart, length;
            while (!TryParseFrame(out fin, out opcode, out payloadStart, out length))
            {
                await FillAsync();
            }

            if (opcode is 0x9 or 0xA)
            {
                continue;
            }

            if (opcode == 0x8 || received + length > expected.Length ||
                !_buffer.AsSpan(payloadStart, length).SequenceEqual(expected.AsSpan(received, length)))
            {
                return false;
            }

            received += length;
            if (fin)
            {
                return received == expected.Length;
            }
        }
    }

    public void Dispose() => _socket.Dispose();

    private bool TryParseFrame(out bool fin, out int opcode, out int payloadStart, out int length)
    {
        fin = false;
        opcode = payloadStart = length = 0;
        var available = _end - _start;
        if (available < 2)
        {
            return false;
        }

        var b1 = _buffer[_start + 1] & 0x7f;
        var header = b1 < 126 ? 2 : b1 == 126 ? 4 : 10;
        if (available < header)
        {
            return false;
        }

        long len = b1 < 126 ? b1 : b1 == 126 ? BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(_start + 2)) : (long)BinaryPrimitives.ReadUInt64BigEndian(_buffer.AsSpan(_start + 2));
        if (available < header + len)
        {
            if (header + len > _buffer.Length)
            {
                Array.Resize(ref _buffer, (int)(header + len) * 2);
            }

            return false;
        }

        fin = (_buffer[_start] & 0x80) != 0;
        opcode = _buffer[_start] & 0x0f;
        payloadStart = _start + header;
        length = (int)len;
        _start += header + length;
        return true;
    }

    private async Task FillAsync()
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var n = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None);
        if (n == 0)
        {
            throw new IOException("The server closed the connection.");
        }

        _end += n;
    }
}
