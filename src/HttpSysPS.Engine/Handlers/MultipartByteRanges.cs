using System.Security.Cryptography;
using System.Text;

namespace HttpSysPS.Engine.Handlers;

/// <summary>
/// A <c>multipart/byteranges</c> body (RFC 9110 §14.6) for several ranges of one file. The length is known before the
/// first byte is sent, so the response carries a Content-Length, and each part's bytes go out with
/// <see cref="Response.SendFileAsync"/> (sendfile on plain connections).
/// </summary>
internal sealed class MultipartByteRanges
{
    private readonly IReadOnlyList<ByteRange> _ranges;
    private readonly byte[][] _partHeads;
    private readonly byte[] _closing;

    public MultipartByteRanges(string partContentType, IReadOnlyList<ByteRange> ranges, long totalLength)
        : this(partContentType, ranges, totalLength, RandomNumberGenerator.GetHexString(24, lowercase: true))
    {
    }

    /// <summary>With a given boundary (tests). A random boundary cannot collide with file content by accident.</summary>
    internal MultipartByteRanges(string partContentType, IReadOnlyList<ByteRange> ranges, long totalLength, string boundary)
    {
        _ranges = ranges;
        Boundary = boundary;
        _partHeads = new byte[ranges.Count][];
        long length = 0;
        for (var i = 0; i < ranges.Count; i++)
        {
            // Each part: [CRLF after the previous part] "--boundary" CRLF, its headers, CRLF, the bytes.
            var head = (i == 0 ? string.Empty : "\r\n") + $"--{boundary}\r\nContent-Type: {partContentType}\r\nContent-Range: {ranges[i].ToContentRange(totalLength)}\r\n\r\n";
            _partHeads[i] = Encoding.ASCII.GetBytes(head);
            length += _partHeads[i].Length + ranges[i].Length;
        }

        _closing = Encoding.ASCII.GetBytes($"\r\n--{boundary}--\r\n");
        ContentLength = length + _closing.Length;
    }

    /// <summary>The boundary string.</summary>
    public string Boundary { get; }

    /// <summary>The response Content-Type.</summary>
    public string ContentType => "multipart/byteranges; boundary=" + Boundary;

    /// <summary>The exact body length.</summary>
    public long ContentLength { get; }

    /// <summary>Writes every part: headers through the response buffer, file bytes with SendFileAsync.</summary>
    public async Task WriteAsync(Response response, string path, CancellationToken cancellationToken)
    {
        for (var i = 0; i < _ranges.Count; i++)
        {
            await response.WriteAsync(_partHeads[i], cancellationToken).ConfigureAwait(false);
            await response.SendFileAsync(path, _ranges[i].Start, _ranges[i].Length, cancellationToken).ConfigureAwait(false);
        }

        await response.WriteAsync(_closing, cancellationToken).ConfigureAwait(false);
    }
}
