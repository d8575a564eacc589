using System.Text;

namespace HttpSysPS.Engine.Http1;

/// <summary>
/// The responses HTTP.sys generates itself, byte for byte (spec §6.1, §6.2): HTML, <c>charset=us-ascii</c>,
/// CRLF line ends, followed by <c>Connection: close</c>.
/// </summary>
internal static class ErrorPages
{
    /// <summary>Status, <c>&lt;h2&gt;</c> heading, <c>&lt;p&gt;</c> message, httperr reason, and the "Full" 503 verbosity detail.</summary>
    public static (int Status, string Heading, string Message, string LogReason) Describe(RequestRejection rejection) => rejection switch
    {
        RequestRejection.BadRequest => (400, "Bad Request", "The request is badly formed.", "BadRequest"),
        RequestRejection.InvalidHostname => (400, "Bad Request - Invalid Hostname", "The request hostname is invalid.", "Hostname"),
        RequestRejection.InvalidUrl => (400, "Bad Request - Invalid URL", "The request URL is invalid.", "URL"),
        RequestRejection.InvalidHeader => (400, "Bad Request - Invalid Header", "The request has an invalid header name.", "Header"),
        RequestRejection.InvalidVerb => (400, "Bad Request - Invalid Verb", "The request verb is invalid.", "Verb"),
        RequestRejection.HeaderFieldTooLong => (400, "Bad Request - Header Field Too Long", "A request header field is too long.", "FieldLength"),
        RequestRejection.RequestTooLong => (400, "Bad Request - Request Too Long", "The size of the request headers is too long.", "RequestLength"),
        RequestRejection.UrlTooLong => (414, "Request URL Too Long", "The request URL is too long.", "URL_Length"),
        RequestRejection.NotFound => (404, "Not Found", "The requested resource is not found.", "NotFound"),
        RequestRejection.EntityTooLarge => (413, "Request Entity Too Large", "The request entity is too large.", "EntityTooLarge"),
        RequestRejection.NotImplemented => (501, "Not Implemented", "The request transfer encoding is not supported.", "N/I"),
        RequestRejection.VersionNotSupported => (505, "HTTP Version Not Supported", "The HTTP version is not supported.", "Version_N/S"),
        RequestRejection.ExpectationFailed => (417, "Expectation Failed", "The expectation given in the Expect header cannot be met.", "BadRequest"),
        RequestRejection.QueueFull => (503, "Service Unavailable", "The service is unavailable.", "QueueFull"),
        RequestRejection.ConnectionLimit => (503, "Service Unavailable", "The service is unavailable.", "ConnLimit"),
        RequestRejection.QueueTimeout => (503, "Service Unavailable", "The service is unavailable.", "Timer_AppPool"),
        RequestRejection.Unavailable => (503, "Service Unavailable", "The service is unavailable.", "N/A"),
        RequestRejection.InternalError => (500, "Internal Server Error", "The server encountered an internal error.", "Internal"),
        RequestRejection.WebSocketBadHandshake => (400, "Bad Request", "The WebSocket handshake is invalid.", "WebSocket"),
        RequestRejection.WebSocketVersion => (426, "Upgrade Required", "The WebSocket version is not supported.", "WebSocket_Version"),
        _ => (400, "Bad Request", "The request is badly formed.", "BadRequest"),
    };

    /// <summary>The detailed reason phrase used with <see cref="Queues.Http503Verbosity.Full"/> (IIS 6 wording, spec §5.2).</summary>
    public static string FullReason(RequestRejection rejection) => rejection switch
    {
        RequestRejection.QueueFull => "Application request queue full.",
        RequestRejection.ConnectionLimit => "Too many users.",
        RequestRejection.QueueTimeout => "Request timed out in app pool queue.",
        RequestRejection.Unavailable => "Application taken offline.",
        _ => "Service Unavailable",
    };

    /// <summary>A header the answer carries besides the standard ones (the versions a 426 offers), or null.</summary>
    public static string? ExtraHeader(RequestRejection rejection) =>
        rejection == RequestRejection.WebSocketVersion ? "Sec-WebSocket-Version: 13" : null;

    /// <summary>The HTML body, exactly as HTTP.sys writes it (lengths match captured responses: generic 400 = 311 bytes).</summary>
    public static byte[] Body(string title, string heading, int status, string message)
    {
        var text =
            "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\"\"http://www.w3.org/TR/html4/strict.dtd\">\r\n" +
            $"<HTML><HEAD><TITLE>{title}</TITLE>\r\n" +
            "<META HTTP-EQUIV=\"Content-Type\" Content=\"text/html; charset=us-ascii\"></HEAD>\r\n" +
            $"<BODY><h2>{heading}</h2>\r\n" +
            $"<hr><p>HTTP Error {status}. {message}</p>\r\n" +
            "</BODY></HTML>\r\n";
        return Encoding.ASCII.GetBytes(text);
    }
}
