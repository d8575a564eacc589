using System.Buffers;
using System.Buffers.Text;
using System.Text;
using HttpSysPS.Engine.Handlers;
using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Engine.Http1;

/// <summary>
/// Parses one complete request head (request line, header fields, empty line; already scanned by
/// <see cref="HeadScanner"/>) into a <see cref="Request"/>, strictly per RFC 9112 where laxness enables
/// request smuggling. One instance per connection: it caches the last Host value to avoid re-allocating it.
/// </summary>
internal sealed class Http1HeadParser
{
    private byte[] _lastHostBytes = [];
    private string _lastHost = string.Empty;

    public RequestRejection? Parse(ReadOnlySpan<byte> head, Request request, RequestLimits limits, out RequestFraming framing)
    {
        framing = default;
        var lineEnd = head.IndexOf("\r\n"u8);
        var rejection = ParseRequestLine(head[..lineEnd], request, limits, ref framing);
        if (rejection is not null)
        {
            return rejection;
        }

        var hostCount = 0;
        var connectionClose = false;
        var connectionKeepAlive = false;
        var sawTransferEncoding = false;
        var transferEncodingOk = true;
        var sawChunked = false;
        var unknownCoding = false;
        var rest = head[(lineEnd + 2)..];
        while (true)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = rest[..end];
            rest = rest[(end + 2)..];
            if (line.IsEmpty)
            {
                break;
            }

            // RFC 9112 §5.2: obs-fold is refused.
            if (line[0] is (byte)' ' or (byte)'\t')
            {
                return RequestRejection.BadRequest;
            }

            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                return RequestRejection.InvalidHeader;
            }

            var nameBytes = line[..colon];

            // RFC 9112 §5.1: no whitespace between name and colon; any non-token byte makes the name invalid.
            if (nameBytes.IndexOfAnyExcept(HttpTokens.Chars) >= 0)
            {
                return RequestRejection.InvalidHeader;
            }

            var valueBytes = line[(colon + 1)..].Trim(" \t"u8);
            foreach (var b in valueBytes)
            {
                if ((b < 0x20 && b != (byte)'\t') || b == 0x7F)
                {
                    return RequestRejection.BadRequest;
                }
            }

            var name = KnownHeaders.GetName(nameBytes);
            string value;
            switch (name)
            {
                case KnownHeaders.Host:
                    hostCount++;
                    value = HostValue(valueBytes);
                    break;
                case KnownHeaders.ContentLength:
                    if (!TryParseContentLength(valueBytes, out var length) || (framing.ContentLength is { } previous && previous != length))
                    {
                        return RequestRejection.BadRequest;
                    }

                    framing.ContentLength = length;
                    value = Decode(valueBytes);
                    break;
                case KnownHeaders.TransferEncoding:
                    sawTransferEncoding = true;
                    value = Decode(valueBytes);
                    ClassifyCodings(value, ref framing, ref sawChunked, ref transferEncodingOk, ref unknownCoding);
                    break;
                case KnownHeaders.Connection:
                    value = Decode(valueBytes);
                    foreach (var item in new SpanSplitter<char>(value, ','))
                    {
                        var token = item.Trim();
                        connectionClose |= token.Equals("close", StringComparison.OrdinalIgnoreCase);
                        connectionKeepAlive |= token.Equals("keep-alive", StringComparison.OrdinalIgnoreCase);
                    }

                    break;
                case KnownHeaders.Expect:
                    value = Decode(valueBytes);
                    if (!value.Equals("100-continue", StringComparison.OrdinalIgnoreCase))
                    {
                        return RequestRejection.ExpectationFailed;
                    }

                    framing.ExpectContinue = framing.Version == HttpVersion.Http11;
                    break;
                case KnownHeaders.Upgrade:
                    value = Decode(valueBytes);
                    framing.UpgradeProtocol = value;
                    break;
                default:
                    value = Decode(valueBytes);
                    break;
            }

            request.Headers.Add(name, value);
        }

        if (sawTransferEncoding)
        {
            // RFC 9112 §6.1: TE in HTTP/1.0, or TE together with Content-Length, is a smuggling vector: refuse and close.
            if (framing.Version == HttpVersion.Http10 || framing.ContentLength is not null)
            {
                return RequestRejection.BadRequest;
            }

            // RFC 9112 §6.3: when chunked is not the final coding (or is missing, or repeated) the body's length cannot be
            // determined, and the server MUST answer 400 and close. That wins over §6.1's SHOULD of 501 for a coding we
            // do not know, so `chunked, identity` is 400 and only a well-framed `gzip, chunked` is 501.
            if (!transferEncodingOk || !framing.Chunked)
            {
                return RequestRejection.BadRequest;
            }

            if (unknownCoding)
            {
                return RequestRejection.NotImplemented;
            }
        }

        // RFC 9112 §3.2: an HTTP/1.1 request without exactly one Host is answered 400.
        if (hostCount > 1 || (hostCount == 0 && framing.Version == HttpVersion.Http11 && framing.AbsoluteFormHost is null))
        {
            return RequestRejection.BadRequest;
        }

        framing.KeepAlive = framing.Version == HttpVersion.Http11 ? !connectionClose : connectionKeepAlive && !connectionClose;
        request.Host = framing.AbsoluteFormHost ?? request.Headers.Get(KnownHeaders.Host) ?? string.Empty;
        request.ContentLength = framing.ContentLength;
        request.HasBody = framing.HasBody;
        return null;
    }

    private static RequestRejection? ParseRequestLine(ReadOnlySpan<byte> line, Request request, RequestLimits limits, ref RequestFraming framing)
    {
        var firstSpace = line.IndexOf((byte)' ');
        var lastSpace = line.LastIndexOf((byte)' ');
        if (firstSpace <= 0 || lastSpace == firstSpace)
        {
            return firstSpace == 0 || line.IndexOfAnyExcept(HttpTokens.Chars) < 0 ? RequestRejection.InvalidVerb : RequestRejection.BadRequest;
        }

        var method = line[..firstSpace];
        if (method.IndexOfAnyExcept(HttpTokens.Chars) >= 0)
        {
            return RequestRejection.InvalidVerb;
        }

        var versionBytes = line[(lastSpace + 1)..];
        if (versionBytes.SequenceEqual("HTTP/1.1"u8))
        {
            framing.Version = HttpVersion.Http11;
        }
        else if (versionBytes.SequenceEqual("HTTP/1.0"u8))
        {
            framing.Version = HttpVersion.Http10;
        }
        else
        {
            return IsVersionSyntax(versionBytes) ? RequestRejection.VersionNotSupported : RequestRejection.BadRequest;
        }

        var target = line[(firstSpace + 1)..lastSpace];
        if (target.IsEmpty)
        {
            return RequestRejection.InvalidUrl;
        }

        if (target.Length > limits.MaxFieldLength)
        {
            return RequestRejection.UrlTooLong;
        }

        foreach (var b in target)
        {
            // Bare spaces, controls and DEL in the request-target (spec §1.4: 400).
            if (b <= 0x20 || b == 0x7F || b == (byte)'#')
            {
                return RequestRejection.InvalidUrl;
            }
        }

        string rawUrl;
        if (Ascii.IsValid(target))
        {
            rawUrl = Encoding.ASCII.GetString(target);
        }
        else if (!TryDecodeStrictUtf8(target, out rawUrl))
        {
            return RequestRejection.InvalidUrl;
        }

        request.Method = KnownHeaders.GetMethod(method);
        framing.IsHead = ReferenceEquals(request.Method, "HEAD");
        request.Protocol = framing.Version == HttpVersion.Http11 ? "HTTP/1.1" : "HTTP/1.0";
        request.RawUrl = rawUrl;
        return ParseTarget(rawUrl, request, limits, ref framing);
    }

    private static RequestRejection? ParseTarget(string rawUrl, Request request, RequestLimits limits, ref RequestFraming framing)
    {
        string pathAndQuery;
        if (rawUrl[0] == '/')
        {
            pathAndQuery = rawUrl;
        }
        else if (rawUrl == "*")
        {
            // RFC 9112 §3.2.4: asterisk-form only for OPTIONS. Routed as the root.
            if (request.Method != "OPTIONS")
            {
                return RequestRejection.InvalidUrl;
            }

            request.RawPath = "*";
            request.Path = "/";
            request.QueryString = string.Empty;
            return null;
        }
        else if (rawUrl.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || rawUrl.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            // RFC 9112 §3.2.2: absolute-form; its authority replaces the Host header.
            var authorityStart = rawUrl.IndexOf("://", StringComparison.Ordinal) + 3;
            var pathStart = rawUrl.IndexOfAny(['/', '?'], authorityStart);
            framing.AbsoluteFormHost = pathStart < 0 ? rawUrl[authorityStart..] : rawUrl[authorityStart..pathStart];
            if (framing.AbsoluteFormHost.Length == 0)
            {
                return RequestRejection.InvalidHostname;
            }

            pathAndQuery = pathStart < 0 ? "/" : rawUrl[pathStart] == '?' ? "/" + rawUrl[pathStart..] : rawUrl[pathStart..];
        }
        else
        {
            return RequestRejection.InvalidUrl;
        }

        var query = pathAndQuery.IndexOf('?');
        request.RawPath = query < 0 ? pathAndQuery : pathAndQuery[..query];
        request.QueryString = query < 0 ? string.Empty : pathAndQuery[query..];
        if (!PathCanonicalizer.TryCanonicalize(request.RawPath, out var cooked, out _))
        {
            return RequestRejection.InvalidUrl;
        }

        if (!WithinSegmentLimits(cooked, limits))
        {
            return RequestRejection.InvalidUrl;
        }

        request.Path = cooked;
        return null;
    }

    private static bool WithinSegmentLimits(string path, RequestLimits limits)
    {
        var segments = 0;
        var start = 1;
        for (var i = 1; i <= path.Length; i++)
        {
            if (i < path.Length && path[i] != '/')
            {
                continue;
            }

            if (i > start)
            {
                segments++;
                if (limits.UrlSegmentMaxLength > 0 && i - start > limits.UrlSegmentMaxLength)
                {
                    return false;
                }
            }

            start = i + 1;
        }

        return limits.UrlSegmentMaxCount == 0 || segments <= limits.UrlSegmentMaxCount;
    }

    private static bool IsVersionSyntax(ReadOnlySpan<byte> version) =>
        version.Length == 8 && version.StartsWith("HTTP/"u8) && char.IsAsciiDigit((char)version[5]) && version[6] == (byte)'.' && char.IsAsciiDigit((char)version[7]);

    private static bool TryParseContentLength(ReadOnlySpan<byte> value, out long length)
    {
        // RFC 9110 §8.6: 1*DIGIT; a list of identical values ("5, 5") is tolerated, differing values are not.
        length = -1;
        foreach (var piece in new SpanSplitter<byte>(value, (byte)','))
        {
            var item = piece.Trim(" \t"u8);
            if (item.IsEmpty || item.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0 ||
                !Utf8Parser.TryParse(item, out long parsed, out var consumed) || consumed != item.Length)
            {
                return false;
            }

            if (length >= 0 && parsed != length)
            {
                return false;
            }

            length = parsed;
        }

        return length >= 0;
    }

    /// <summary>
    /// Reads one Transfer-Encoding field. The codings of several fields form one list (RFC 9110 §5.3), so the state
    /// carries over: <see cref="RequestFraming.Chunked"/> ends up true only when the list's last coding is chunked,
    /// <paramref name="ok"/> turns false when chunked appears twice, <paramref name="unknown"/> when any other coding appears.
    /// </summary>
    private static void ClassifyCodings(string value, ref RequestFraming framing, ref bool sawChunked, ref bool ok, ref bool unknown)
    {
        foreach (var item in new SpanSplitter<char>(value, ','))
        {
            var coding = item.Trim(" \t");
            if (coding.IsEmpty)
            {
                continue;
            }

            var isChunked = coding.Equals("chunked", StringComparison.OrdinalIgnoreCase);
            if (isChunked)
            {
                // chunked must be applied exactly once (RFC 9112 §6.1).
                ok &= !sawChunked;
                sawChunked = true;
            }
            else
            {
                unknown = true;
            }

            framing.Chunked = isChunked;
        }
    }

    private string HostValue(ReadOnlySpan<byte> value)
    {
        if (value.SequenceEqual(_lastHostBytes))
        {
            return _lastHost;
        }

        _lastHost = Decode(value);
        _lastHostBytes = value.ToArray();
        return _lastHost;
    }

    private static string Decode(ReadOnlySpan<byte> value) =>
        Ascii.IsValid(value) ? Encoding.ASCII.GetString(value) : Encoding.Latin1.GetString(value);

    private static bool TryDecodeStrictUtf8(ReadOnlySpan<byte> bytes, out string text)
    {
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            text = string.Empty;
            return false;
        }
    }
}
