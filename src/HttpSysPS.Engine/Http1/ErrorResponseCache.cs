using System.Collections.Concurrent;
using System.Text;
using HttpSysPS.Engine.Queues;

namespace HttpSysPS.Engine.Http1;

/// <summary>
/// Builds the server's own error responses once per (rejection, verbosity); only the Date line changes per second,
/// so it is spliced in when the response is taken.
/// </summary>
internal sealed class ErrorResponseCache
{
    private readonly string? _serverHeader;
    private readonly ConcurrentDictionary<(RequestRejection, Http503Verbosity), (byte[] Head, byte[] Tail)> _cache = new();

    public ErrorResponseCache(string? serverHeader) => _serverHeader = serverHeader;

    /// <summary>The status code of a rejection.</summary>
    public static int StatusOf(RequestRejection rejection) => ErrorPages.Describe(rejection).Status;

    /// <summary>The complete response: status line, headers with <paramref name="dateHeader"/>, <c>Connection: close</c>, body.</summary>
    public byte[] Get(RequestRejection rejection, Http503Verbosity verbosity, byte[] dateHeader)
    {
        var (head, tail) = _cache.GetOrAdd((rejection, verbosity), Build);
        var result = new byte[head.Length + dateHeader.Length + tail.Length];
        head.CopyTo(result, 0);
        dateHeader.CopyTo(result, head.Length);
        tail.CopyTo(result, head.Length + dateHeader.Length);
        return result;
    }

    private (byte[], byte[]) Build((RequestRejection Rejection, Http503Verbosity Verbosity) key)
    {
        var (status, heading, message, _) = ErrorPages.Describe(key.Rejection);
        var reason = status == 503 && key.Verbosity == Http503Verbosity.Full ? ErrorPages.FullReason(key.Rejection) : ReasonPhrases.For(status);
        var body = ErrorPages.Body(ReasonPhrases.For(status), heading, status, message);
        var head = $"HTTP/1.1 {status} {reason}\r\n";
        var tail = new StringBuilder()
            .Append("Content-Type: text/html; charset=us-ascii\r\n")
            .Append(_serverHeader is null ? string.Empty : $"Server: {_serverHeader}\r\n")
            .Append(ErrorPages.ExtraHeader(key.Rejection) is { } extra ? $"{extra}\r\n" : string.Empty)
            .Append("Connection: close\r\n")
            .Append($"Content-Length: {body.Length}\r\n\r\n")
            .ToString();
        return (Encoding.ASCII.GetBytes(head), [.. Encoding.ASCII.GetBytes(tail), .. body]);
    }
}
