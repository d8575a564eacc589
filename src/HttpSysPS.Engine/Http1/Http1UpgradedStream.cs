using HttpSysPS.Engine.Requests;

namespace HttpSysPS.Engine.Http1;

/// <summary>
/// The bytes of an HTTP/1.1 connection after a 101 (a WebSocket): reads give first what the client sent behind the
/// upgrade head and is still buffered, then the connection's stream; writes go straight to it. While a read waits, the
/// upgraded protocol's idle timer is armed on the connection's one deadline.
/// </summary>
internal sealed class Http1UpgradedStream : UpgradedStream
{
    private readonly Http1Connection _connection;
    private readonly InputBuffer _input;
    private readonly Stream _inner;
    private readonly long _idleTimeout;
    private bool _drained;
    private long _bytesSent;

    public Http1UpgradedStream(Http1Connection connection, InputBuffer input, Stream inner, long idleTimeout)
    {
        _connection = connection;
        _input = input;
        _inner = inner;
        _idleTimeout = idleTimeout;
    }

    public override long BytesSent => Interlocked.Read(ref _bytesSent);

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!_drained)
        {
            var taken = _input.TakeBuffered(buffer.Span);
            if (taken > 0 || buffer.Length == 0)
            {
                return taken;
            }

            _drained = true;
        }

        _connection.EnterUpgradedRead(_idleTimeout);
        try
        {
            return await _inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _connection.ExitUpgradedRead();
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await _inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        Interlocked.Add(ref _bytesSent, buffer.Length);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Sends what the connection still holds (the 101 head, at the first flush), then flushes the stream.</summary>
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_connection.Output.HasData)
        {
            await _connection.FlushOutputAsync(cancellationToken).ConfigureAwait(false);
        }

        await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Flush() => throw new NotSupportedException("An upgraded connection is written asynchronously.");

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("An upgraded connection is read asynchronously.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("An upgraded connection is written asynchronously.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>The connection owns the socket and its stream: disposing the upgraded view closes nothing.</summary>
    protected override void Dispose(bool disposing)
    {
    }
}
