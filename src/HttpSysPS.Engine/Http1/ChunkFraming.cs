namespace HttpSysPS.Engine.Http1;

/// <summary>Chunked transfer coding on the way out (RFC 9112 §7.1): each piece of body as one chunk.</summary>
internal static class ChunkFraming
{
    public static readonly byte[] Terminator = "0\r\n\r\n"u8.ToArray();

    /// <summary>Writes <paramref name="data"/> as one chunk: size line, the bytes, CRLF.</summary>
    public static void WriteChunk(OutputBuffer output, ReadOnlySpan<byte> data)
    {
        WriteSizeLine(output, data.Length);
        output.Write(data);
        output.Write("\r\n"u8);
    }

    /// <summary>The chunk-size line (hex, CRLF) of a chunk whose bytes the caller writes next, then CRLF.</summary>
    public static void WriteSizeLine(OutputBuffer output, int length)
    {
        var span = output.GetSpan(10);
        length.TryFormat(span, out var n, "x");
        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        output.Advance(n);
    }
}
