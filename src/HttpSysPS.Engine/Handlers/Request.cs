using System.Net;
using System.Security.Claims;
using System.Security.Cryptography.X509Certificates;
using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Engine.Handlers;

/// <summary>The request as a handler sees it: parsed, validated and routed before the handler is called.</summary>
public sealed class Request
{
    private Dictionary<string, string>? _query;
    private long? _maxRequestBodySize;
    private string? _basePath;
    private string? _relativePath;
    private ClaimsPrincipal? _user;

    internal Request()
    {
    }

    /// <summary>Upper-case method token as received (e.g. <c>GET</c>).</summary>
    public string Method { get; internal set; } = "GET";

    /// <summary>The request-target exactly as received, escapes and query included.</summary>
    public string RawUrl { get; internal set; } = "/";

    /// <summary>The raw path (escapes kept, no query).</summary>
    public string RawPath { get; internal set; } = "/";

    /// <summary>The decoded, canonical ("cooked") path used for routing: escapes decoded, '\' as '/', '//' collapsed, dot segments resolved.</summary>
    public string Path { get; internal set; } = "/";

    /// <summary>The matched prefix's path without its trailing slash (e.g. <c>/api</c>; empty for a root prefix), in the request's casing.</summary>
    public string BasePath => _basePath ??= ComputeBasePath();

    /// <summary><see cref="Path"/> below <see cref="BasePath"/>, starting with '/' (or empty when the request is exactly the base path without slash).</summary>
    public string RelativePath => _relativePath ??= Path.Length > BasePath.Length ? Path[BasePath.Length..] : BasePath.Length == 0 ? Path : string.Empty;

    /// <summary>The query string including the leading '?', or empty.</summary>
    public string QueryString { get; internal set; } = string.Empty;

    /// <summary>The query parsed into decoded name/value pairs (last value wins for repeated names).</summary>
    public IReadOnlyDictionary<string, string> Query => _query ??= QueryParser.Parse(QueryString);

    /// <summary>The request header fields.</summary>
    public HeaderCollection Headers { get; } = new();

    /// <summary>The request body; empty when the request has none. Reading it enforces <see cref="MaxRequestBodySize"/>.</summary>
    public Stream Body { get; internal set; } = Stream.Null;

    /// <summary>The Content-Length of the request, or null when chunked or absent.</summary>
    public long? ContentLength { get; internal set; }

    /// <summary>True when the request has a body (Content-Length &gt; 0 or chunked).</summary>
    public bool HasBody { get; internal set; }

    /// <summary>The Host header value (or the host from an absolute-form target).</summary>
    public string Host { get; internal set; } = string.Empty;

    /// <summary><c>http</c> or <c>https</c>.</summary>
    public string Scheme => IsSecure ? "https" : "http";

    /// <summary>True on TLS connections.</summary>
    public bool IsSecure { get; internal set; }

    /// <summary><c>HTTP/1.1</c>, <c>HTTP/1.0</c> (later <c>HTTP/2</c>).</summary>
    public string Protocol { get; internal set; } = "HTTP/1.1";

    /// <summary>The local endpoint the connection arrived on (an <see cref="IPEndPoint"/>, or a Unix socket endpoint).</summary>
    public EndPoint? LocalEndPoint { get; internal set; }

    /// <summary>The client's endpoint.</summary>
    public EndPoint? RemoteEndPoint { get; internal set; }

    /// <summary>The URL prefix the request was routed by.</summary>
    public UrlPrefix? UrlPrefix { get; internal set; }

    /// <summary>The client certificate negotiated in the TLS handshake, when the SSL binding asks for one.</summary>
    public X509Certificate2? ClientCertificate { get; internal set; }

    /// <summary>
    /// Who sent the request, as the listener's authentication established it: an authenticated principal (Identity.Name,
    /// Identity.AuthenticationType = the scheme, group claims where the platform gives them), or an anonymous one
    /// (IsAuthenticated false) when the listener has no authentication or the request brought no credentials.
    /// </summary>
    public ClaimsPrincipal User
    {
        get => _user ??= Authentication.AuthenticatedUser.Anonymous();
        internal set => _user = value;
    }

    /// <summary>True when the request was authenticated (without building an anonymous principal).</summary>
    internal bool IsAuthenticated => _user?.Identity?.IsAuthenticated == true;

    /// <summary>A per-server sequence number of this request, for logs.</summary>
    public ulong RequestId { get; internal set; }

    /// <summary>
    /// The body size limit for this request in bytes (null = unlimited). Defaults to the listener's MaxRequestBodySize
    /// (HTTP.sys/ASP.NET default 30,000,000). Can be changed until the body is first read.
    /// </summary>
    public long? MaxRequestBodySize
    {
        get => _maxRequestBodySize;
        set
        {
            if (BodyReadStarted)
            {
                throw new InvalidOperationException("MaxRequestBodySize cannot be changed after the request body has started to be read.");
            }

            if (value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "MaxRequestBodySize must be null (unlimited) or a number of bytes >= 0.");
            }

            _maxRequestBodySize = value;
        }
    }

    internal bool BodyReadStarted { get; set; }

    /// <summary>
    /// Whether <see cref="Body"/> (and the response body) may be read and written synchronously: the routed listener's
    /// <see cref="UrlGroupOptions.AllowSynchronousIO"/>, applied when the request is routed. Until then, allowed.
    /// </summary>
    internal bool AllowSynchronousIO { get; set; } = true;

    internal void Reset(long? maxRequestBodySize)
    {
        _query = null;
        _maxRequestBodySize = maxRequestBodySize;
        BodyReadStarted = false;
        AllowSynchronousIO = true;
        Headers.Clear();
        Body = Stream.Null;
        ContentLength = null;
        HasBody = false;
        ClientCertificate = null;
        _user = null;
        QueryString = string.Empty;
        UrlPrefix = null;
        _basePath = null;
        _relativePath = null;
    }

    private string ComputeBasePath()
    {
        // Prefixes match case-insensitively; report the base as the client wrote it (ASP.NET PathBase does the same).
        var prefixBase = UrlPrefix?.BasePath ?? string.Empty;
        if (prefixBase.Length == 0 || Path.StartsWith(prefixBase, StringComparison.Ordinal))
        {
            return prefixBase;
        }

        return Path.Length >= prefixBase.Length ? Path[..prefixBase.Length] : prefixBase;
    }
}
