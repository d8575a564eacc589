namespace HttpSysPS.Engine.Caching;

/// <summary>Why a request is not answered from, or a response not stored in, the response cache (spec §7.2, §7.3).</summary>
public enum CacheIneligibility
{
    /// <summary>Eligible.</summary>
    None,

    // ---- request rules (HTTP.sys, spec §7.2) ----

    /// <summary>The method is not GET (HEAD is answered from a GET's entry but never stores one).</summary>
    Method,

    /// <summary>The request has a body.</summary>
    RequestBody,

    /// <summary>The request carries Authorization.</summary>
    Authorization,

    /// <summary>The request carries Range or If-Range.</summary>
    Range,

    /// <summary>The request carries <c>Translate: f</c> (WebDAV source access).</summary>
    Translate,

    /// <summary>
    /// The request carries If-Match, If-None-Match, If-Modified-Since or If-Unmodified-Since: the handler evaluates
    /// it (our choice; HTTP.sys behaviour unconfirmed). Its answer may be a 304 that must not replace the entry.
    /// </summary>
    Conditional,

    /// <summary>The Host header has no host part (HTTP/1.0 without Host).</summary>
    NoHost,

    // ---- response rules (ASP.NET HttpSys decision, spec §7.3) ----

    /// <summary>Status 304.</summary>
    NotModified,

    /// <summary>Status 206 (HTTP.sys never caches partial content).</summary>
    PartialContent,

    /// <summary>No Cache-Control header.</summary>
    NoCacheControl,

    /// <summary>Set-Cookie present.</summary>
    SetCookie,

    /// <summary>Vary present.</summary>
    Vary,

    /// <summary>Pragma present.</summary>
    Pragma,

    /// <summary>Cache-Control without <c>public</c>.</summary>
    NotPublic,

    /// <summary>Cache-Control with <c>private</c>, <c>no-store</c> or <c>no-cache</c> beside <c>public</c> (our stricter reading).</summary>
    Forbidden,

    /// <summary>No positive lifetime: no s-maxage, max-age or future Expires, or a zero one.</summary>
    NoLifetime,

    // ---- response rules (HTTP.sys, spec §7.2) ----

    /// <summary>No Content-Type.</summary>
    NoContentType,

    /// <summary>An empty body.</summary>
    EmptyBody,

    /// <summary>The body is larger than <see cref="HttpServerOptions.ResponseCacheMaxEntryBytes"/>.</summary>
    TooLarge,

    /// <summary>A Last-Modified header that is not an HTTP-date.</summary>
    InvalidLastModified,

    /// <summary>The response started before the handler finished (a flush, a large file send, more than the buffer).</summary>
    NotSentInOnePiece,
}
