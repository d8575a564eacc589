using System.Buffers;

namespace HttpSysPS.Engine.Http1;

/// <summary>
/// Bytes waiting for the socket, in pooled 16 KiB segments. Responses of pipelined requests accumulate here and
/// leave in as few writes as possible; the segments go back to the pool after each flush.
/// </summary>
internal sealed class OutputBuffer : IBufferWriter<byte>
{
    private const int SegmentSize = 16 * 1024;
    private readonly List<byte[]> _segments = new();
    private readonly List<int> _used = new();

    public long Length { get; private set; }

    public bool HasData => Length > 0;

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        EnsureRoom(Math.Max(sizeHint, 1));
        return _segments[^1].AsSpan(_used[^1]);
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        EnsureRoom(Math.Max(sizeHint, 1));
        return _segments[^1].AsMemory(_used[^1]);
    }

    public void Advance(int count)
    {
        _used[^1] += count;
        Length += count;
    }

    public void Write(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            var span = GetSpan(Math.Min(data.Length, SegmentSize));
            var n = Math.Min(span.Length, data.Length);
            data[..n].CopyTo(span);
            Advance(n);
            data = data[n..];
        }
    }

    /// <summary>Copies every byte of <paramref name="other"/> to the end of this buffer and empties it.</summary>
    public void Append(OutputBuffer other)
    {
        for (var i = 0; i < other._segments.Count; i++)
        {
            Write(other._segments[i].AsSpan(0, other._used[i]));
        }

        other.Clear();
    }

    /// <summary>A copy of the buffered bytes (the response cache keeps the body of a response it stores).</summary>
    public byte[] ToArray()
    {
        var result = new byte[Length];
        var offset = 0;
        for (var i = 0; i < _segments.Count; i++)
        {
            _segments[i].AsSpan(0, _used[i]).CopyTo(result.AsSpan(offset));
            offset += _used[i];
        }

        return result;
    }

    public async ValueTask FlushToAsync(Stream stream, CancellationToken cancellationToken)
    {
        try
        {
            for (var i = 0; i < _segments.Count; i++)
            {
                if (_used[i] > 0)
                {
                    await stream.WriteAsync(_segments[i].AsMemory(0, _used[i]), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            Clear();
        }
    }

    public void Clear()
    {
        foreach (var segment in _segments)
        {
            ArrayPool<byte>.Shared.Return(segment);
        }

        _segments.Clear();
        _used.Clear();
        Length = 0;
    }

    private void EnsureRoom(int sizeHint)
    {
        if (_segments.Count > 0 && _segments[^1].Length - _used[^1] >= sizeHint)
        {
            return;
        }

        _segments.Add(ArrayPool<byte>.Shared.Rent(Math.Max(SegmentSize, sizeHint)));
        _used.Add(0);
    }
}
