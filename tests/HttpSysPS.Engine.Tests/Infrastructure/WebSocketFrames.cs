using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;

namespace HttpSysPS.Engine.Tests.Infrastructure;

/// <summary>
/// RFC 6455 frames by hand, for what no real client sends (reserved bits, unknown opcodes, unmasked frames, bad close
/// codes): a raw-socket handshake, a frame writer with every bit under the test's control, and a frame reader.
/// </summary>
internal static class WebSocketFrames
{
    public const byte Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA;

    /// <summary>A valid key (16 bytes, base64) and the Sec-WebSocket-Accept RFC 6455 §1.3 gives for it.</summary>
    public const string SampleKey = "dGhlIHNhbXBsZSBub25jZQ==";
    public const string SampleAccept = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    /// <summary>The handshake request, with the headers a test can change.</summary>
    public static string UpgradeRequest(string path = "/", string? key = SampleKey, string version = "13", string? extra = null) =>
        $"GET {path} HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        (key is null ? string.Empty : $"Sec-WebSocket-Key: {key}\r\n") +
        $"Sec-WebSocket-Version: {version}\r\n{extra}\r\n";

    /// <summary>Connects and upgrades; the 101 is read and checked.</summary>
    public static async Task<RawClient> ConnectAsync(TestServer server, string path = "/")
    {
        var client = await server.ConnectAsync();
        await client.SendAsync(UpgradeRequest(path));
        var head = await client.ReadUntilAsync("\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 101 ", head);
        Assert.Contains($"Sec-WebSocket-Accept: {SampleAccept}\r\n", head);
        return client;
    }

    /// <summary>One frame; masked (as a client must) unless told otherwise.</summary>
    public static byte[] Frame(byte opcode, byte[] payload, bool fin = true, byte rsv = 0, bool masked = true)
    {
        var frame = new List<byte> { (byte)((fin ? 0x80 : 0) | (rsv << 4) | opcode) };
        var maskBit = masked ? 0x80 : 0;
        if (payload.Length < 126)
        {
            frame.Add((byte)(maskBit | payload.Length));
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            frame.Add((byte)(maskBit | 126));
            frame.Add((byte)(payload.Length >> 8));
            frame.Add((byte)payload.Length);
        }
        else
        {
            frame.Add((byte)(maskBit | 127));
            var length = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(length, (ulong)payload.Length);
            frame.AddRange(length);
        }

        if (!masked)
        {
            frame.AddRange(payload);
            return frame.ToArray();
        }

        byte[] mask = [0x37, 0xfa, 0x21, 0x3d];
        frame.AddRange(mask);
        frame.AddRange(payload.Select((b, i) => (byte)(b ^ mask[i % 4])));
        return frame.ToArray();
    }

    public static byte[] TextFrame(string text, bool fin = true) => Frame(Text, Encoding.UTF8.GetBytes(text), fin);

    /// <summary>A close frame with <paramref name="code"/> and an optional reason.</summary>
    public static byte[] CloseFrame(int code, string reason = "")
    {
        var payload = new byte[2 + Encoding.UTF8.GetByteCount(reason)];
        BinaryPrimitives.WriteUInt16BigEndian(payload, (ushort)code);
        Encoding.UTF8.GetBytes(reason, payload.AsSpan(2));
        return Frame(Close, payload);
    }

    /// <summary>Reads the next frame the server sent (server frames are never masked: the test checks it).</summary>
    public static async Task<(bool Fin, byte Opcode, byte[] Payload)> ReadFrameAsync(RawClient client)
    {
        var head = await client.ReadExactlyAsync(2);
        Assert.Equal(0, head[1] & 0x80);
        long length = head[1] & 0x7f;
        if (length == 126)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(await client.ReadExactlyAsync(2));
        }
        else if (length == 127)
        {
            length = (long)BinaryPrimitives.ReadUInt64BigEndian(await client.ReadExactlyAsync(8));
        }

        return ((head[0] & 0x80) != 0, (byte)(head[0] & 0x0f), await client.ReadExactlyAsync((int)length));
    }

    /// <summary>Reads frames until a close arrives; returns its code (1005 when it had none).</summary>
    public static async Task<int> ReadCloseCodeAsync(RawClient client)
    {
        while (true)
        {
            var (_, opcode, payload) = await ReadFrameAsync(client);
            if (opcode == Close)
            {
                return payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload) : (int)WebSocketCloseStatus.Empty;
            }
        }
    }
}
