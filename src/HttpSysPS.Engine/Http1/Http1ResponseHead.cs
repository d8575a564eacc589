using System.Buffers.Text;
using System.Text;
using HttpSysPS.Engine.Handlers;

namespace HttpSysPS.Engine.Http1;

/// <summary>
/// An HTTP/1.1 response head: the framing it announces, its validation, and its bytes. Validation runs before a
/// single byte is written, so an invalid head (a handler's fault) can still be answered with a clean 500.
/// </summary>
internal static class Http1ResponseHead
{
    /// <summary>The Content-Length the head announces: declared, from a Content-Length header, or (final) what was written.</summary>
    public static long? ContentLengthOf(Response response, bool final, long bytesWritten)
    {
        if (IsBodyless(response.StatusCode))
        {
            return null;
        }

        if (response.ContentLength is { } declared)
        {
            return declared;
        }

        if (response.Headers.TryGetValue("Content-Length", out var text) && long.TryParse(text, out var parsed) && parsed >= 0)
        {
            return parsed;
        }

        return final ? bytesWritten : null;
    }

    /// <summary>True when the handler set <c>Connection: close</c> itself.</summary>
    public static bool AsksToClose(Response response) =>
        response.Headers.TryGetValue("Connection", out var value) && value.Contains("close", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Throws <see cref="InvalidOperationException"/> for a head that must not go out: a final length that differs from
    /// the bytes written, or CR, LF or NUL in the reason phrase or a header (response splitting).
    /// </summary>
    public static void Validate(Response response, long? finalLength, long bytesWritten, bool suppressBody)
    {
        if (finalLength is { } length && length != bytesWritten && !suppressBody)
        {
            throw new InvalidOperationException($"Response Content-Length mismatch: {bytesWritten} bytes written, {length} declared.");
        }

        CheckText(response.ReasonPhrase, "ReasonPhrase");
        var headers = response.Headers;
        for (var i = 0; i < headers.Count; i++)
        {
            CheckText(headers.NameAt(i), "header name");
            CheckText(headers.ValueAt(i), headers.NameAt(i));
        }
    }

    /// <summary>Writes the status line, headers and the blank line (the head is valid: see <see cref="Validate"/>).</summary>
    public static void Write(OutputBuffer output, Response response, long? contentLength, bool chunked, bool keepAlive, HttpVersion version, byte[] dateHeader, string? serverHeader)
    {
        WriteStatusAndFields(output, response, dateHeader, serverHeader);
        if (contentLength is { } length)
        {
            output.Write("Content-Length: "u8);
            var span = output.GetSpan(20);
            Utf8Formatter.TryFormat(length, span, out var n);
            output.Advance(n);
            output.Write("\r\n"u8);
        }
        else if (chunked)
        {
            output.Write("Transfer-Encoding: chunked\r\n"u8);
        }

        if (!keepAlive)
        {
            output.Write("Connection: close\r\n"u8);
        }
        else if (version == HttpVersion.Http10)
        {
            output.Write("Connection: keep-alive\r\n"u8);
        }

        output.Write("\r\n"u8);
    }

    /// <summary>Writes a 101 head (the status line, the handler's headers and <c>Connection: Upgrade</c>); validate it first.</summary>
    public static void WriteSwitchingProtocols(OutputBuffer output, Response response, byte[] dateHeader, string? serverHeader)
    {
        WriteStatusAndFields(output, response, dateHeader, serverHeader);
        output.Write("Connection: Upgrade\r\n\r\n"u8);
    }

    /// <summary>
    /// The headers the server writes itself from its own framing decisions (length, chunking, date, persistence); a
    /// handler's value for them is ignored, in a live response and in a cached one alike.
    /// </summary>
    public static bool IsWrittenByServer(string name) =>
        name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("Date", StringComparison.OrdinalIgnoreCase) ||
        name.Equals("Connection", StringComparison.OrdinalIgnoreCase);

    private static void WriteStatusAndFields(OutputBuffer output, Response response, byte[] dateHeader, string? serverHeader)
    {
        WriteStatusLine(output, response.StatusCode, response.ReasonPhrase);
        output.Write(dateHeader);
        var hasServer = false;
        var headers = response.Headers;
        for (var i = 0; i < headers.Count; i++)
        {
            var name = headers.NameAt(i);
            if (IsWrittenByServer(name))
            {
                continue;
            }

            hasServer |= name.Equals("Server", StringComparison.OrdinalIgnoreCase);
            WriteHeader(output, name, headers.ValueAt(i));
        }

        if (!hasServer && serverHeader is not null)
        {
            WriteHeader(output, "Server", serverHeader);
        }
    }

    private static bool IsBodyless(int status) => status is < 200 or 204 or 304;

    private static void CheckText(string? text, string what)
    {
        if (text is not null && text.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
        {
            throw new InvalidOperationException($"The response {what} contains CR, LF or NUL.");
        }
    }

    private static void WriteStatusLine(OutputBuffer output, int status, string? reason)
    {
        if (status == 200 && reason is null)
        {
            output.Write("HTTP/1.1 200 OK\r\n"u8);
            return;
        }

        output.Write("HTTP/1.1 "u8);
        var span = output.GetSpan(3);
        Utf8Formatter.TryFormat(status, span, out var n);
        output.Advance(n);
        output.Write(" "u8);
        WriteText(output, reason ?? ReasonPhrases.For(status));
        output.Write("\r\n"u8);
    }

    private static void WriteHeader(OutputBuffer output, string name, string value)
    {
        WriteText(output, name);
        output.Write(": "u8);
        WriteText(output, value);
        output.Write("\r\n"u8);
    }

    private static void WriteText(OutputBuffer output, string text)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
