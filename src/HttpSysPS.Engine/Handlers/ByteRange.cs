namespace HttpSysPS.Engine.Handlers;

/// <summary>One satisfiable byte range of a representation: <see cref="Start"/> and <see cref="Length"/> in bytes.</summary>
public readonly record struct ByteRange(long Start, long Length)
{
    /// <summary>The last byte position (inclusive), as in <c>Content-Range: bytes Start-End/Total</c>.</summary>
    public long End => Start + Length - 1;

    /// <summary>The Content-Range value for this range of a representation of <paramref name="total"/> bytes.</summary>
    public string ToContentRange(long total) => $"bytes {Start}-{End}/{total}";
}
