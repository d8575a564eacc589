namespace HttpSysPS.Engine.Requests;

/// <summary>
/// A stream that is read and written asynchronously, never sought: the upgraded connection and the views over it
/// implement <see cref="ReadAsync(Memory{byte}, CancellationToken)"/>, <see cref="WriteAsync(ReadOnlyMemory{byte}, CancellationToken)"/>
/// and flushing; the rest of <see cref="Stream"/> is here once.
/// </summary>
internal abstract class AsyncDuplexStream : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    public abstract override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => throw new NotSupportedException("This stream is written asynchronously.");

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("This stream is read asynchronously.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("This stream is written asynchronously.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
