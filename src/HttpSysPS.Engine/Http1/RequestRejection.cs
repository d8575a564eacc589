namespace HttpSysPS.Engine.Http1;

/// <summary>Why a request was refused before (or while) reaching a handler. <see cref="ErrorPages"/> maps each to its answer.</summary>
public enum RequestRejection
{
    /// <summary>Generic malformed request (HTTP.sys <c>BadRequest</c>): bare CR/LF, obs-fold, bad framing, bad chunk.</summary>
    BadRequest,

    /// <summary>No site for this Host on this port, or a malformed Host (HTTP.sys <c>Hostname</c>).</summary>
    InvalidHostname,

    /// <summary>Bad escapes, bad UTF-8, restricted characters, segment limits (HTTP.sys <c>URL</c>).</summary>
    InvalidUrl,

    /// <summary>A header name with illegal characters or whitespace before the colon (HTTP.sys <c>Header</c>).</summary>
    InvalidHeader,

    /// <summary>A method that is not a token (HTTP.sys <c>Verb</c>).</summary>
    InvalidVerb,

    /// <summary>One header field longer than MaxFieldLength (HTTP.sys <c>FieldLength</c>).</summary>
    HeaderFieldTooLong,

    /// <summary>Request line plus headers longer than MaxRequestBytes (HTTP.sys <c>RequestLength</c>).</summary>
    RequestTooLong,

    /// <summary>The request-target is longer than MaxFieldLength (HTTP.sys <c>URL_Length</c>).</summary>
    UrlTooLong,

    /// <summary>The site exists but no prefix covers the path.</summary>
    NotFound,

    /// <summary>Request body larger than MaxRequestBodySize (<c>EntityTooLarge</c>).</summary>
    EntityTooLarge,

    /// <summary>A transfer coding other than chunked before a final chunked, e.g. <c>gzip, chunked</c> (HTTP.sys <c>N/I</c>); chunked not last is <see cref="BadRequest"/>.</summary>
    NotImplemented,

    /// <summary>An HTTP version other than 1.0 and 1.1 (HTTP.sys <c>Version_N/S</c>).</summary>
    VersionNotSupported,

    /// <summary>An Expect value other than 100-continue (RFC 9110 §10.1.1).</summary>
    ExpectationFailed,

    /// <summary>The request queue is full (HTTP.sys <c>QueueFull</c>).</summary>
    QueueFull,

    /// <summary>The connection limit is reached (HTTP.sys <c>ConnLimit</c>).</summary>
    ConnectionLimit,

    /// <summary>The request waited in the queue longer than the RequestQueue timer (<c>Timer_AppPool</c>).</summary>
    QueueTimeout,

    /// <summary>Registered but not available: a reservation with no listener, or a listener that is stopping (<c>N/A</c>).</summary>
    Unavailable,

    /// <summary>The handler failed before the response started (<c>Internal</c>).</summary>
    InternalError,

    /// <summary>A WebSocket upgrade without a valid <c>Sec-WebSocket-Key</c>, or with a body (RFC 6455 §4.2.1): 400.</summary>
    WebSocketBadHandshake,

    /// <summary>A WebSocket upgrade for a version other than 13: 426 with <c>Sec-WebSocket-Version: 13</c> (RFC 6455 §4.2.2).</summary>
    WebSocketVersion,
}
