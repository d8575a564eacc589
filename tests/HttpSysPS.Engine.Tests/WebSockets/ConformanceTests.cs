using System.Text;
using HttpSysPS.Engine.Tests.Infrastructure;
using static HttpSysPS.Engine.Tests.Infrastructure.WebSocketFrames;

namespace HttpSysPS.Engine.Tests.WebSockets;

/// <summary>
/// The Autobahn test suite's case groups (framing, ping/pong, fragmentation, UTF-8, close codes, masking, limits) sent
/// as raw frames to the sample echo handler: each protocol error must end in the close code RFC 6455 names.
/// </summary>
public sealed class ConformanceTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(7)]
    public async Task Reserved_bits_without_an_extension_give_1002(byte rsv)
    {
        Assert.Equal(1002, await CloseCodeAfterAsync(Frame(Text, "x"u8.ToArray(), rsv: rsv)));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(0xB)]
    [InlineData(0xF)]
    public async Task An_unknown_opcode_gives_1002(byte opcode)
    {
        Assert.Equal(1002, await CloseCodeAfterAsync(Frame(opcode, [])));
    }

    [Fact]
    public async Task An_unmasked_client_frame_gives_1002()
    {
        Assert.Equal(1002, await CloseCodeAfterAsync(Frame(Text, "hi"u8.ToArray(), masked: false)));
    }

    [Fact]
    public async Task Frames_sent_a_byte_at_a_time_are_followed_and_an_unmasked_one_after_them_gives_1002()
    {
        await using var server = await EchoServer.StartAsync();
        await using var client = await ConnectAsync(server);
        byte[] bytes = [.. Frame(Text, new byte[300]), .. TextFrame("ok"), .. Frame(Text, "bad"u8.ToArray(), masked: false)];

        foreach (var b in bytes)
        {
            await client.SendAsync([b]);
        }

        Assert.Equal(300, (await ReadFrameAsync(client)).Payload.Length);
        Assert.Equal("ok"u8.ToArray(), (await ReadFrameAsync(client)).Payload);
        Assert.Equal(1002, await ReadCloseCodeAsync(client));
    }

    [Fact]
    public async Task A_ping_is_answered_with_a_pong_carrying_its_payload()
    {
        await using var server = await EchoServer.StartAsync();
        await using var client = await ConnectAsync(server);
        byte[] payload = Enumerable.Range(0, 125).Select(i => (byte)i).ToArray();

        await client.SendAsync(Frame(Ping, payload));
        var (fin, opcode, received) = await ReadFrameAsync(client);

        Assert.True(fin);
        Assert.Equal(Pong, opcode);
        Assert.Equal(payload, received);
    }

    [Fact]
    public async Task A_ping_payload_over_125_bytes_gives_1002()
    {
        Assert.Equal(1002, await CloseCodeAfterAsync(Frame(Ping, new byte[126])));
    }

    [Fact]
    public async Task A_fragmented_ping_gives_1002()
    {
        Assert.Equal(1002, await CloseCodeAfterAsync(Frame(Ping, "a"u8.ToArray(), fin: false)));
    }

    [Fact]
    public async Task Every_ping_of_many_is_answered()
    {
        await using var server = await EchoServer.StartAsync();
        await using var client = await ConnectAsync(server);
        var burst = Enumerable.Range(0, 50).SelectMany(i => Frame(Ping, Encoding.ASCII.GetBytes($"p{i}"))).ToArray();

        await client.SendAsync(burst);
        for (var i = 0; i < 50; i++)
        {
            var (_, opcode, payload) = await ReadFrameAsync(client);
            Assert.Equal(Pong, opcode);
            Assert.Equal($"p{i}", Encoding.ASCII.GetString(payload));
        }
    }

    [Fact]
    public async Task Control_frames_between_fragments_are_answered_and_the_message_is_whole()
    {
        await using var server = await EchoServer.StartAsync();
        await using var client = await ConnectAsync(server);

        await client.SendAsync([.. TextFrame("frag", fin: false), .. Frame(Ping, "mid"u8.ToArray()), .. Frame(Pong, []), .. Frame(Continuation, "ment"u8.ToArray())]);
        var frames = new List<(bool Fin, byte Opcode, byte[] Payload)>();
        var text = new StringBuilder();
        while (frames.Count == 0 || !frames[^1].Fin || frames[^1].Opcode == Pong)
        {
            var frame = await ReadFrameAsync(client);
            frames.Add(frame);
            if (frame.Opcode is Text or Continuation)
            {
                text.Append(Encoding.UTF8.GetString(frame.Payload));
            }
        }

        Assert.Contains(frames, f => f.Opcode == Pong && Encoding.ASCII.GetString(f.Payload) == "mid");
        Assert.Equal("fragment", text.ToString());
    }

    [Fact]
    public async Task A_continuation_without_a_start_gives_1002()
    {
        Assert.Equal(1002, await CloseCodeAfterAsync(Frame(Continuation, "x"u8.ToArray())));
    }

    [Fact]
    public async Task A_new_message_inside_a_fragmented_one_gives_1002()
    {
        Assert.Equal(1002, await CloseCodeAfterAsync([.. TextFrame("a", fin: false), .. TextFrame("b")]));
    }

    [Theory]
    [InlineData(new byte[] { 0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xce, 0xbc, 0xce, 0xb5, 0xed, 0xa0, 0x80, 0x65, 0x64, 0x69, 0x74, 0x65, 0x64 })] // a surrogate
    [InlineData(new byte[] { 0xff })]
    [InlineData(new byte[] { 0xc0, 0x80 })] // overlong NUL
    [InlineData(new byte[] { 0xf4, 0x90, 0x80, 0x80 })] // above U+10FFFF
    public async Task Invalid_UTF8_text_gives_1007(byte[] payload)
    {
        Assert.Equal(1007, await CloseCodeAfterAsync(Frame(Text, payload)));
    }

    [Fact]
    public async Task Invalid_UTF8_split_across_fragments_gives_1007()
    {
        // κόσμε then the start of a 4-byte sequence completed by an invalid continuation in the next fragment.
        byte[] first = [0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xcf, 0x83, 0xce, 0xbc, 0xce, 0xb5, 0xf4];
        byte[] second = [0x90, 0x80, 0x80];
        Assert.Equal(1007, await CloseCodeAfterAsync([.. Frame(Text, first, fin: false), .. Frame(Continuation, second)]));
    }

    [Fact]
    public async Task Valid_UTF8_split_inside_a_character_is_accepted()
    {
        await using var server = await EchoServer.StartAsync();
        await using var client = await ConnectAsync(server);
        var bytes = Encoding.UTF8.GetBytes("κόσμε");

        await client.SendAsync([.. Frame(Text, bytes[..3], fin: false), .. Frame(Continuation, bytes[3..])]);
        var received = new List<byte>();
        bool fin;
        do
        {
            var frame = await ReadFrameAsync(client);
            received.AddRange(frame.Payload);
            fin = frame.Fin;
        }
        while (!fin);

        Assert.Equal("κόσμε", Encoding.UTF8.GetString(received.ToArray()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(1004)]
    [InlineData(1005)]
    [InlineData(1006)]
    [InlineData(1015)]
    [InlineData(1016)]
    [InlineData(2999)]
    [InlineData(5000)]
    [InlineData(65535)]
    public async Task An_invalid_close_code_gives_1002(int code)
    {
        Assert.Equal(1002, await CloseCodeAfterAsync(CloseFrame(code)));
    }

    [Fact]
    public async Task A_close_with_a_one_byte_payload_gives_1002()
    {
        Assert.Equal(1002, await CloseCodeAfterAsync(Frame(Close, [0x03])));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(1003)]
    [InlineData(1007)]
    [InlineData(1011)]
    [InlineData(3000)]
    [InlineData(4999)]
    public async Task A_valid_close_code_is_echoed(int code)
    {
        Assert.Equal(code, await CloseCodeAfterAsync(CloseFrame(code, "reason")));
    }

    [Fact]
    public async Task An_empty_close_is_answered_with_1000()
    {
        // An empty close has no code to echo; the BCL reports it as 1000 (normal closure), and 1000 goes back.
        Assert.Equal(1000, await CloseCodeAfterAsync(Frame(Close, [])));
    }

    [Fact]
    public async Task A_message_over_the_listener_limit_gives_1009()
    {
        await using var server = await EchoServer.StartAsync(g => g with { WebSockets = g.WebSockets with { MaxMessageSize = 1000 } });
        await using var client = await ConnectAsync(server);

        await client.SendAsync(Frame(Binary, new byte[600], fin: false));
        await client.SendAsync(Frame(Continuation, new byte[600]));

        Assert.Equal(1009, await ReadCloseCodeAsync(client));
    }

    [Fact]
    public async Task A_message_at_the_limit_is_echoed()
    {
        await using var server = await EchoServer.StartAsync(g => g with { WebSockets = g.WebSockets with { MaxMessageSize = 1000 } });
        await using var client = await ConnectAsync(server);

        await client.SendAsync(Frame(Binary, new byte[1000]));
        var received = 0;
        bool fin;
        do
        {
            var frame = await ReadFrameAsync(client);
            received += frame.Payload.Length;
            fin = frame.Fin;
        }
        while (!fin);

        Assert.Equal(1000, received);
    }

    /// <summary>Upgrades, sends <paramref name="frames"/>, and returns the code of the server's close frame.</summary>
    private static async Task<int> CloseCodeAfterAsync(byte[] frames)
    {
        await using var server = await EchoServer.StartAsync();
        await using var client = await ConnectAsync(server);
        await client.SendAsync(frames);
        return await ReadCloseCodeAsync(client);
    }
}
