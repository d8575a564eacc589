using System.Runtime.CompilerServices;
using HttpSysPS.Engine.Requests;

namespace HttpSysPS.Engine.Http1;

/// <summary>
/// The bytes of an HTTP/1.1 connection after a 101 (a WebSocket): reads give first what the client sent behind the
/// upgrade head and is still buffered, then the connection's stream; writes are sent behind the writer
/// (<see cref="UpgradedSendQueue"/>). While a read waits, the upgraded protocol's idle timer is armed on the
/// connection's one deadline.
/// </summary>
internal sealed class Http1UpgradedStream : UpgradedStream
{
    private readonly Http1Connection _connection;
    private readonly InputBuffer _input;
    private readonly Stream _inner;
    private readonly UpgradedSendQueue _sends;
    private readonly long _idleTimeout;
    private bool _drained;
    private long _bytesSent;

    public Http1UpgradedStream(Http1Connection connection, InputBuffer input, Stream inner, long idleTimeout)
    {
        _connection = connection;
        _input = input;
        _inner = inner;
        _idleTimeout = idleTimeout;
        _sends = new UpgradedSendQueue(inner, connection.Abort);
    }

    public override long BytesSent => Interlocked.Read(ref _bytesSent);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
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

        var read = _inner.ReadAsync(buffer, cancellationToken);
        if (read.IsCompleted)
        {
            return await read.ConfigureAwait(false);
        }

        // The client has nothing more for now: the idle timer runs while the reader waits.
        _connection.EnterUpgradedRead(_idleTimeout);
        try
        {
            return await read.ConfigureAwait(false);
        }
        finally
        {
            _connection.ExitUpgradedRead();
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Interlocked.Add(ref _bytesSent, buffer.Length);
        return _sends.WriteAsync(buffer.Span);
    }

    /// <summary>Queues what the connection still holds (the 101 head, at the first flush) and waits until everything queued was sent.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_connection.Output.HasData)
        {
            _sends.Enqueue(_connection.Output);
        }

        return _sends.WhenSentAsync();
    }

    /// <summary>The connection owns the socket and its stream: disposing the upgraded view closes nothing.</summary>
    protected override void Dispose(bool disposing)
    {
    }
}
