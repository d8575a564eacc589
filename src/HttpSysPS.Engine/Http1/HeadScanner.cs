namespace HttpSysPS.Engine.Http1;

/// <summary>
/// Finds the end of a request head (the empty line) incrementally, resuming where the previous call stopped, and
/// enforces the line rules and size limits before anything is parsed: a slowloris client trickling bytes costs
/// O(bytes), and an oversized head is refused as soon as it crosses the limit.
/// </summary>
internal struct HeadScanner
{
    private int _scanned;
    private int _lineStart;
    private bool _onRequestLine;

    public static HeadScanner Start() => new() { _onRequestLine = true };

    /// <summary>True when some bytes of the head have been seen (HeaderWait runs from then on).</summary>
    public readonly bool Started => _scanned > 0;

    /// <summary>
    /// Scans <paramref name="data"/> (which always starts at the head's first byte). Returns true and the head
    /// length (including the final CRLF CRLF) when complete; false with <paramref name="rejection"/> null when
    /// more bytes are needed.
    /// </summary>
    public bool TryScan(ReadOnlySpan<byte> data, RequestLimits limits, out int headLength, out RequestRejection? rejection)
    {
        headLength = 0;
        rejection = null;
        for (var i = _scanned; i < data.Length; i++)
        {
            var b = data[i];
            if (b == (byte)'\r')
            {
                // RFC 9112 §2.2: a bare CR must be rejected.
                if (i + 1 < data.Length && data[i + 1] != (byte)'\n')
                {
                    rejection = RequestRejection.BadRequest;
                    return false;
                }

                continue;
            }

            if (b != (byte)'\n')
            {
                continue;
            }

            // Strict: a bare LF line terminator is refused (lax line endings enable request smuggling behind proxies).
            if (i == 0 || data[i - 1] != (byte)'\r')
            {
                rejection = RequestRejection.BadRequest;
                return false;
            }

            var lineLength = i - 1 - _lineStart;
            if (lineLength == 0 && !_onRequestLine)
            {
                if (i + 1 > limits.MaxRequestBytes)
                {
                    rejection = RequestRejection.RequestTooLong;
                    return false;
                }

                headLength = i + 1;
                _scanned = i + 1;
                return true;
            }

            if (_onRequestLine && lineLength == 0)
            {
                rejection = RequestRejection.BadRequest;
                return false;
            }

            if (lineLength > limits.MaxFieldLength)
            {
                rejection = _onRequestLine ? RequestRejection.UrlTooLong : RequestRejection.HeaderFieldTooLong;
                return false;
            }

            _onRequestLine = false;
            _lineStart = i + 1;
        }

        _scanned = data.Length;
        var openLine = data.Length - _lineStart;
        if (openLine > limits.MaxFieldLength + 1)
        {
            rejection = _onRequestLine ? RequestRejection.UrlTooLong : RequestRejection.HeaderFieldTooLong;
            return false;
        }

        if (data.Length > limits.MaxRequestBytes)
        {
            rejection = RequestRejection.RequestTooLong;
            return false;
        }

        return false;
    }
}
