using System.Buffers;
using System.Runtime.CompilerServices;

namespace HttpSysPS.Engine.Http1;

/// <summary>
/// The connection's receive buffer: one contiguous pooled array that grows when a head or chunk line needs it.
/// It has PipeReader's shape (read, then advance to consumed/examined) without the System.IO.Pipelines package,
/// which the net8.0 base framework does not carry; and a request head is always one span, never split.
/// </summary>
internal sealed class InputBuffer : IDisposable
{
    /// <summary>4 KiB, as Kestrel's blocks: a head rarely needs more (the buffer doubles when one does), and a busy
    /// connection holds a quarter of what 16 KiB cost.</summary>
    private const int InitialSize = 4 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer = [];
    private int _start;
    private int _end;
    private bool _examinedAll = true;
    private bool _completed;

    public InputBuffer(Stream stream) => _stream = stream;

    /// <summary>Returns buffered bytes that were not yet examined, without reading from the stream.</summary>
    public bool TryRead(out InputReadResult result)
    {
        if (_end > _start && !_examinedAll)
        {
            result = Current();
            return true;
        }

        result = default;
        return false;
    }

    /// <summary>True when nothing is buffered: the next read has to wait for the client.</summary>
    public bool IsEmpty => _start == _end && !_completed;

    /// <summary>
    /// Waits until the client sends something, holding no buffer meanwhile: the buffer goes back to the pool and a
    /// zero-byte read waits (SslStream likewise frees its own buffers while it waits), so an idle keep-alive connection
    /// costs no receive memory. Call only when <see cref="IsEmpty"/>.
    /// </summary>
    public ValueTask<int> WaitForDataAsync()
    {
        Dispose();
        return _stream.ReadAsync(Memory<byte>.Empty);
    }

    /// <summary>Returns the buffered bytes, reading more from the stream when everything buffered was examined already.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<InputReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        if ((_end > _start && !_examinedAll) || _completed)
        {
            return Current();
        }

        MakeRoom();
        var n = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        if (n == 0)
        {
            _completed = true;
        }

        _end += n;
        _examinedAll = false;
        return Current();
    }

    /// <summary>
    /// Moves up to <paramref name="destination"/>'s length of the bytes buffered and not consumed (what a client sent
    /// right after a head that switched protocols) into it; 0 when none are left, and the buffer goes back to the pool.
    /// </summary>
    public int TakeBuffered(Span<byte> destination)
    {
        var n = Math.Min(destination.Length, _end - _start);
        _buffer.AsSpan(_start, n).CopyTo(destination);
        _start += n;
        if (_start == _end)
        {
            _start = _end = 0;
            Dispose();
        }

        return n;
    }

    /// <summary>Everything up to <paramref name="consumed"/> is done with; everything up to it was examined.</summary>
    public void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    /// <summary>Consumes up to <paramref name="consumed"/>; when <paramref name="examined"/> is the end, the next read waits for new bytes.</summary>
    public void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        var consumedAt = consumed.GetObject() is null ? _start : consumed.GetInteger();
        var examinedAt = examined.GetObject() is null ? consumedAt : examined.GetInteger();
        _start = consumedAt;
        _examinedAll = examinedAt >= _end;
        if (_start == _end)
        {
            _start = _end = 0;
        }
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    private InputReadResult Current() =>
        new(_end > _start ? new ReadOnlySequence<byte>(_buffer, _start, _end - _start) : ReadOnlySequence<byte>.Empty, _completed);

    private void MakeRoom()
    {
        if (_buffer.Length == 0)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
            return;
        }

        if (_end < _buffer.Length)
        {
            return;
        }

        var used = _end - _start;
        if (_start > 0 && used < _buffer.Length / 2)
        {
            // Slide the unconsumed tail to the front.
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, used);
        }
        else
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            Buffer.BlockCopy(_buffer, _start, bigger, 0, used);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        _start = 0;
        _end = used;
    }
}
