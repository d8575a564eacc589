using System.Text;

namespace HttpSysPS.Engine.Handlers;

/// <summary>
/// The response a handler builds. Status and headers can change until the response starts: at the first flush, the
/// first send of a file, or once more than the response buffer (64 KiB) has been written. A response that completes
/// without having started is sent in one piece with a Content-Length; otherwise it is chunked unless
/// <see cref="ContentLength"/> was set.
/// </summary>
public sealed class Response
{
    private readonly IResponseSink _sink;
    private int _statusCode = 200;
    private long? _contentLength;

    internal Response(IResponseSink sink)
    {
        _sink = sink;
        Body = new ResponseBodyStream(sink);
    }

    /// <summary>The status code, 100–999 (default 200). Cannot change after the response started.</summary>
    public int StatusCode
    {
        get => _statusCode;
        set
        {
            ThrowIfStarted();
            if (value is < 100 or > 999)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "StatusCode must be between 100 and 999.");
            }

            _statusCode = value;
        }
    }

    /// <summary>An optional reason phrase; the standard one for the status code when null.</summary>
    public string? ReasonPhrase { get; set; }

    /// <summary>The response header fields. Content-Length and Transfer-Encoding are managed by the server.</summary>
    public HeaderCollection Headers { get; } = new();

    /// <summary>The Content-Length to announce, or null to let the server decide (buffered length, or chunked).</summary>
    public long? ContentLength
    {
        get => _contentLength;
        set
        {
            ThrowIfStarted();
            ArgumentOutOfRangeException.ThrowIfNegative(value ?? 0, nameof(value));
            _contentLength = value;
        }
    }

    /// <summary>Shortcut for the Content-Type header.</summary>
    public string? ContentType
    {
        get => Headers["Content-Type"];
        set => Headers["Content-Type"] = value;
    }

    /// <summary>The response body stream.</summary>
    public Stream Body { get; }

    /// <summary>True once the status line and headers have been sent.</summary>
    public bool HasStarted => _sink.HasStarted;

    /// <summary>Bytes the handler has written to the body so far.</summary>
    public long BytesWritten => _sink.BodyBytesWritten;

    /// <summary>Ask the server to close the connection after this response (sends <c>Connection: close</c>).</summary>
    public bool CloseConnection { get; set; }

    /// <summary>Writes bytes to the body.</summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) => _sink.WriteBodyAsync(data, cancellationToken);

    /// <summary>Writes a string as UTF-8.</summary>
    public ValueTask WriteAsync(string text, CancellationToken cancellationToken = default) =>
        _sink.WriteBodyAsync(Encoding.UTF8.GetBytes(text), cancellationToken);

    /// <summary>Sends status and headers now, and any buffered body.</summary>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => _sink.FlushAsync(cancellationToken);

    /// <summary>
    /// Sends <paramref name="count"/> bytes of a file from <paramref name="offset"/> (null = to the end). On plain
    /// connections the kernel copies the file to the socket (sendfile); under TLS it is copied through pooled buffers.
    /// </summary>
    public Task SendFileAsync(string path, long offset = 0, long? count = null, CancellationToken cancellationToken = default) =>
        _sink.SendFileAsync(path, offset, count, cancellationToken);

    /// <summary>WWW-Authenticate values the server adds when the head goes out (set by the authentication step).</summary>
    internal Authentication.ResponseChallenges? Challenges { get; set; }

    internal void Reset()
    {
        Challenges = null;
        _statusCode = 200;
        _contentLength = null;
        ReasonPhrase = null;
        CloseConnection = false;
        Headers.Clear();
    }

    private void ThrowIfStarted()
    {
        if (_sink.HasStarted)
        {
            throw new InvalidOperationException("The response has already started; status and headers can no longer change.");
        }
    }
}
