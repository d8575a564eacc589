using System.Text;
using HttpSysPS.Engine.Handlers;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Handlers;

/// <summary>
/// Synchronous body I/O, decided as Kestrel does: refused with <see cref="InvalidOperationException"/> unless the
/// listener opts in with <see cref="UrlGroupOptions.AllowSynchronousIO"/>. A handler that lets the refusal escape
/// answers 500; async I/O is never affected.
/// </summary>
public sealed class SynchronousIOTests
{
    private static readonly DelegateHandler SyncEcho = new((context, _) =>
    {
        // Everything synchronous: a blocking read of the body, then a blocking write and flush of the answer.
        using var body = new MemoryStream();
        context.Request.Body.CopyTo(body);
        var answer = Encoding.ASCII.GetBytes("sync|" + Encoding.ASCII.GetString(body.ToArray()));
        context.Response.Body.Write(answer, 0, answer.Length);
        context.Response.Body.Flush();
        return default;
    });

    [Fact]
    public async Task A_synchronous_response_write_is_refused_by_default_and_answers_500()
    {
        var handler = new DelegateHandler((context, _) =>
        {
            context.Response.Body.Write("x"u8);
            return default;
        });
        await using var server = await TestServer.StartAsync(handler);

        var response = await server.ProbeAsync();

        Assert.Equal(500, response.StatusCode);
        var failure = Assert.IsType<InvalidOperationException>(Assert.Single(server.Events.HandlerFailures));
        Assert.Contains("AllowSynchronousIO", failure.Message);
    }

    [Fact]
    public async Task A_synchronous_request_read_is_refused_by_default_and_answers_500()
    {
        var handler = new DelegateHandler((context, cancellationToken) =>
        {
            _ = context.Request.Body.Read(new byte[16], 0, 16);
            return default;
        });
        await using var server = await TestServer.StartAsync(handler);
        await using var client = await server.ConnectAsync();

        var response = await client.RoundTripAsync("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");

        Assert.Equal(500, response.StatusCode);
        Assert.IsType<InvalidOperationException>(Assert.Single(server.Events.HandlerFailures));
    }

    [Fact]
    public async Task With_the_opt_in_synchronous_reads_writes_and_flushes_work()
    {
        await using var server = await TestServer.StartAsync(SyncEcho, configureGroup: o => o with { AllowSynchronousIO = true });
        await using var client = await server.ConnectAsync();

        var fixedLength = await client.RoundTripAsync("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
        var chunked = await client.RoundTripAsync("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");

        Assert.Equal((200, "sync|hello"), (fixedLength.StatusCode, fixedLength.BodyText));
        Assert.Equal((200, "sync|abc"), (chunked.StatusCode, chunked.BodyText));
        Assert.Empty(server.Events.HandlerFailures);
    }

    [Fact]
    public async Task Asynchronous_body_I_O_works_without_the_opt_in()
    {
        await using var server = await TestServer.StartAsync(TestHandlers.Echo);
        await using var client = await server.ConnectAsync();

        var response = await client.RoundTripAsync("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");

        Assert.Equal("POST /a|hello", response.BodyText);
    }

    [Fact]
    public void The_response_stream_refuses_every_synchronous_write_when_its_sink_disallows_them()
    {
        var sink = new RecordingSink { AllowSynchronousIO = false };
        var stream = new ResponseBodyStream(sink);

        Assert.Contains("WriteAsync", Assert.Throws<InvalidOperationException>(() => stream.Write([1, 2], 0, 2)).Message);
        Assert.Throws<InvalidOperationException>(() => stream.Write([1, 2]));
        Assert.Throws<InvalidOperationException>(() => stream.WriteByte(1));
        Assert.Contains("FlushAsync", Assert.Throws<InvalidOperationException>(stream.Flush).Message);
        Assert.Empty(sink.Written);
        Assert.Equal(0, sink.Flushes);
    }

    [Fact]
    public async Task The_response_stream_writes_synchronously_when_allowed_and_asynchronously_always()
    {
        var sink = new RecordingSink { AllowSynchronousIO = true };
        var stream = new ResponseBodyStream(sink);
        stream.Write([1, 2], 0, 2);
        stream.Flush();
        Assert.Equal([1, 2], sink.Written);
        Assert.Equal(1, sink.Flushes);

        sink.AllowSynchronousIO = false;
        await stream.WriteAsync(new byte[] { 3 });
        await stream.FlushAsync();
        Assert.Equal([1, 2, 3], sink.Written);
        Assert.Equal(2, sink.Flushes);
    }

    private sealed class RecordingSink : IResponseSink
    {
        public List<byte> Written { get; } = new();

        public int Flushes { get; private set; }

        public bool AllowSynchronousIO { get; set; }

        public bool HasStarted => false;

        public long BodyBytesWritten => Written.Count;

        public ValueTask WriteBodyAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
        {
            Written.AddRange(data.ToArray());
            return default;
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            Flushes++;
            return default;
        }

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
