namespace HttpSysPS.Engine.Handlers;

/// <summary>
/// A write-only stream over an <see cref="IResponseSink"/>. Synchronous Write and Flush throw unless the listener
/// allows synchronous I/O (<see cref="IResponseSink.AllowSynchronousIO"/>); when allowed they block.
/// </summary>
internal sealed class ResponseBodyStream : Stream
{
    private readonly IResponseSink _sink;

    public ResponseBodyStream(IResponseSink sink) => _sink = sink;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _sink.BodyBytesWritten;
        set => throw new NotSupportedException();
    }

    public override void Flush()
    {
        // Kestrel refuses a synchronous Flush too: it blocks on the network like a write (a StreamWriter's Dispose calls it).
        if (!_sink.AllowSynchronousIO)
        {
            throw SynchronousIO.Disallowed("FlushAsync");
        }

        _sink.FlushAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => _sink.FlushAsync(cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <remarks>Write(ReadOnlySpan) and WriteByte come here through the base Stream, so they are refused alike.</remarks>
    public override void Write(byte[] buffer, int offset, int count)
    {
        if (!_sink.AllowSynchronousIO)
        {
            throw SynchronousIO.Disallowed("WriteAsync");
        }

        _sink.WriteBodyAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _sink.WriteBodyAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _sink.WriteBodyAsync(buffer, cancellationToken);
}
