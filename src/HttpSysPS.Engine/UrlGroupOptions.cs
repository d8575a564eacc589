using HttpSysPS.Engine.Configuration;
using HttpSysPS.Engine.Queues;
using HttpSysPS.Engine.Routing;
using HttpSysPS.Engine.WebSockets;

namespace HttpSysPS.Engine;

/// <summary>
/// A listener's settings: its URL prefixes (the URL group) and its request queue. Immutable; every value is validated
/// when set, with the parameter and unit named in the exception.
/// </summary>
public sealed record UrlGroupOptions
{
    /// <summary>HTTP.sys default queue length (HttpServerQueueLengthProperty): 1000.</summary>
    public const int DefaultRequestQueueLimit = 1000;

    /// <summary>ASP.NET Core HttpSys default MaxRequestBodySize: 30,000,000 bytes.</summary>
    public const long DefaultMaxRequestBodySize = 30_000_000;

    private readonly string _name = "default";
    private readonly IReadOnlyList<UrlPrefix> _urlPrefixes = [];
    private readonly string? _requestQueueName;
    private readonly int _requestQueueLimit = DefaultRequestQueueLimit;
    private readonly int _maxConcurrentRequests = Environment.ProcessorCount * 32;
    private readonly long? _maxConnections;
    private readonly long? _maxRequestBodySize = DefaultMaxRequestBodySize;
    private readonly WebSocketOptions _webSockets = WebSocketOptions.Default;

    /// <summary>Creates options for a listener named <paramref name="name"/> on the given prefixes.</summary>
    public UrlGroupOptions(string name, IEnumerable<string> urlPrefixes)
    {
        Name = name;
        UrlPrefixes = urlPrefixes.Select(ParsePrefix).ToArray();
    }

    /// <summary>Creates options from parsed prefixes.</summary>
    public UrlGroupOptions(string name, IEnumerable<UrlPrefix> urlPrefixes)
    {
        Name = name;
        UrlPrefixes = urlPrefixes.ToArray();
    }

    /// <summary>The listener's name, unique within a server.</summary>
    public string Name
    {
        get => _name;
        init => _name = string.IsNullOrWhiteSpace(value)
            ? throw new ArgumentOutOfRangeException(nameof(Name), value, "Name must be a non-empty string.")
            : value;
    }

    /// <summary>The URL prefixes (at least one; duplicates are refused).</summary>
    public IReadOnlyList<UrlPrefix> UrlPrefixes
    {
        get => _urlPrefixes;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Count == 0)
            {
                throw new ArgumentOutOfRangeException(nameof(UrlPrefixes), "At least one URL prefix is required.");
            }

            if (value.GroupBy(p => p).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
            {
                throw new ArgumentOutOfRangeException(nameof(UrlPrefixes), $"The URL prefix '{duplicate.Key}' is listed twice.");
            }

            _urlPrefixes = value.ToArray();
        }
    }

    /// <summary>The request queue's name; the listener name when null. At most 260 characters (HTTP.sys).</summary>
    public string? RequestQueueName
    {
        get => _requestQueueName;
        init => _requestQueueName = value is { Length: > 260 }
            ? throw new ArgumentOutOfRangeException(nameof(RequestQueueName), value.Length, "RequestQueueName must be at most 260 characters.")
            : value;
    }

    /// <summary>Requests that may wait for a handler; more get 503. HTTP.sys default 1000; range 1–2147483647 requests.</summary>
    public int RequestQueueLimit
    {
        get => _requestQueueLimit;
        init => _requestQueueLimit = value < 1
            ? throw new ArgumentOutOfRangeException(nameof(RequestQueueLimit), value, "RequestQueueLimit must be between 1 and 2147483647 requests.")
            : value;
    }

    /// <summary>The listener's W3C access log, or null (the default) for none.</summary>
    public Logging.AccessLogOptions? AccessLog { get; init; }

    /// <summary>
    /// Requests in handlers at once; the rest wait in the queue. Default 32 per CPU (our choice: HTTP.sys has no such
    /// limit, the application decides how many receives it posts; ASP.NET posts 5 per CPU).
    /// </summary>
    public int MaxConcurrentRequests
    {
        get => _maxConcurrentRequests;
        init => _maxConcurrentRequests = value < 1
            ? throw new ArgumentOutOfRangeException(nameof(MaxConcurrentRequests), value, "MaxConcurrentRequests must be at least 1 request.")
            : value;
    }

    /// <summary>Connections this listener serves at once; null = unlimited (HTTP.sys: HTTP_CONNECTION_LIMIT_INFO on the URL group).</summary>
    public long? MaxConnections
    {
        get => _maxConnections;
        init => _maxConnections = OptionGuards.UnlimitedOrAtLeastOne(value, nameof(MaxConnections), "connection");
    }

    /// <summary>Largest request body in bytes; null = unlimited. Default 30,000,000 (ASP.NET HttpSys); larger bodies get 413.</summary>
    public long? MaxRequestBodySize
    {
        get => _maxRequestBodySize;
        init => _maxRequestBodySize = value is < 0
            ? throw new ArgumentOutOfRangeException(nameof(MaxRequestBodySize), value, "MaxRequestBodySize must be null (unlimited) or at least 0 bytes.")
            : value;
    }

    /// <summary>How the server's own 503s (queue full, connection limit, queue timer) are answered. Default Limited.</summary>
    public Http503Verbosity Http503Verbosity { get; init; } = Http503Verbosity.Limited;

    /// <summary>Listener timers; 0 = inherit the service-wide value, then the HTTP.sys default.</summary>
    public TimeoutLimits Timeouts { get; init; } = TimeoutLimits.Inherit;

    /// <summary>Serve cacheable responses from the response cache (ASP.NET HttpSys EnableResponseCaching, default true).</summary>
    public bool EnableResponseCaching { get; init; } = true;

    /// <summary>
    /// Allow synchronous Read on the request body and Write/Flush on the response body; otherwise they throw
    /// <see cref="InvalidOperationException"/> (a handler that lets it escape answers 500). Default false, as Kestrel's
    /// and ASP.NET HttpSys's AllowSynchronousIO: a blocking call holds a thread-pool thread for as long as the network
    /// takes. The PowerShell scriptblock adapter turns it on (scripts call <c>$Response.Body.Write</c>).
    /// </summary>
    public bool AllowSynchronousIO { get; init; }

    /// <summary>The limits of the WebSockets this listener's handlers accept (message size, keep-alive, idle and close timers, compression).</summary>
    public WebSocketOptions WebSockets
    {
        get => _webSockets;
        init => _webSockets = value ?? throw new ArgumentNullException(nameof(WebSockets));
    }

    /// <summary>The schemes the server authenticates on this listener, its realm and limits. Default: none (anonymous).</summary>
    public Authentication.AuthenticationOptions Authentication { get; init; } = HttpSysPS.Engine.Authentication.AuthenticationOptions.Disabled;

    private static UrlPrefix ParsePrefix(string text)
    {
        try
        {
            return UrlPrefix.Parse(text);
        }
        catch (FormatException e)
        {
            throw new HttpSysException(HttpSysErrorReason.MalformedPrefix, e.Message, e);
        }
    }
}
