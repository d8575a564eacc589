using HttpSysPS.Engine.Configuration;
using HttpSysPS.Engine.Http1;
using HttpSysPS.Engine.Queues;

using HttpSysPS.Engine.Connections;

namespace HttpSysPS.Engine;

/// <summary>Server-wide settings (HTTP.sys's service-wide layer). Immutable; validated at construction.</summary>
public sealed record HttpServerOptions
{
    private readonly long? _maxConnections;
    private readonly long _responseCacheMaxBytes = DefaultResponseCacheMaxBytes;
    private readonly int _responseCacheMaxEntryBytes = DefaultResponseCacheMaxEntryBytes;
    private readonly TimeSpan _responseCacheScavengerPeriod = DefaultResponseCacheScavengerPeriod;
    private readonly string? _serverHeader = DefaultServerHeader;

    /// <summary>Our Server header value (HTTP.sys sends <c>Microsoft-HTTPAPI/2.0</c>; we do not impersonate it).</summary>
    public const string DefaultServerHeader = "HttpSysPS";

    /// <summary>
    /// Response cache budget: 64 MiB. Our choice — HTTP.sys sizes its kernel cache from physical memory
    /// (UriMaxCacheMegabyteCount = 0, "let the system decide"); a fixed default keeps a user-mode process predictable.
    /// </summary>
    public const long DefaultResponseCacheMaxBytes = 64L * 1024 * 1024;

    /// <summary>Largest cached response body: HTTP.sys UriMaxUriBytes default, 256 KB (262,144 bytes).</summary>
    public const int DefaultResponseCacheMaxEntryBytes = 256 * 1024;

    /// <summary>Idle time after which a cache entry is scavenged: HTTP.sys UriScavengerPeriod default, 120 s.</summary>
    public static readonly TimeSpan DefaultResponseCacheScavengerPeriod = TimeSpan.FromSeconds(120);

    /// <summary>The clock for every timer. Tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The Server header on every response the app did not set one for; null omits it (HTTP.sys DisableServerHeader=2).</summary>
    public string? ServerHeader
    {
        get => _serverHeader;
        init => _serverHeader = value is not null && value.AsSpan().IndexOfAny('\r', '\n') >= 0
            ? throw new ArgumentOutOfRangeException(nameof(ServerHeader), "ServerHeader must not contain CR or LF.")
            : value;
    }

    /// <summary>Connections the whole server accepts at once; null = unlimited (HTTP.sys default MAX_ULONG).</summary>
    public long? MaxConnections
    {
        get => _maxConnections;
        init => _maxConnections = OptionGuards.UnlimitedOrAtLeastOne(value, nameof(MaxConnections), "connection");
    }

    /// <summary>
    /// Whether a keep-alive connection waiting for its next request gives its receive buffer back and waits with a
    /// zero-byte read (Kestrel's WaitForDataBeforeAllocatingBuffer), and, once idle for more than a heartbeat, its request
    /// state too (IdleParking). Default true: 10,000 idle connections then hold about 2 KiB of live heap each. False keeps
    /// both across requests: measurably faster for small responses at high request rates (docs/engine.md), at about
    /// 6 KiB per idle connection.
    /// </summary>
    public bool WaitForDataBeforeAllocatingBuffer { get; init; } = true;

    /// <summary>How connections over <see cref="MaxConnections"/> are refused. Default Limited: a 503 page (HTTP.sys default Basic: reset).</summary>
    public Http503Verbosity Http503Verbosity { get; init; } = Http503Verbosity.Limited;

    /// <summary>Head size limits (HTTP.sys registry defaults).</summary>
    public RequestLimits Limits { get; init; } = new();

    /// <summary>Service-wide timers; 0 = HTTP.sys default. Listener timers override these (spec §4.1).</summary>
    public TimeoutLimits Timeouts { get; init; } = TimeoutLimits.Inherit;

    /// <summary>Receives request log lines, dropped-connection reasons and warnings. Null = silent.</summary>
    public IServerEvents? Events { get; init; }

    /// <summary>The server's httperr log, or null (the default) for none.</summary>
    public Logging.ErrorLogOptions? ErrorLog { get; init; }

    /// <summary>
    /// Decides whether a prefix may be registered. Null: with a <see cref="ConfigStore"/>, its URL reservations decide
    /// (HTTP.sys rules); without one, everything is allowed.
    /// </summary>
    public IPrefixAuthorizer? Authorizer { get; init; }

    /// <summary>
    /// The machine configuration (URL reservations, SSL bindings, service-wide timers), watched while the server runs:
    /// changes apply without restart. Null = no reservations, no SSL bindings, HTTP.sys default timers.
    /// </summary>
    public ServiceConfigStore? ConfigStore { get; init; }

    /// <summary>Whose rights the reservation check uses; null = the current process.</summary>
    public ProcessIdentity? Identity { get; init; }

    /// <summary>ALPN protocols offered on TLS endpoints, in preference order (HTTP/2 joins when it lands).</summary>
    public IReadOnlyList<System.Net.Security.SslApplicationProtocol> ApplicationProtocols { get; init; } = [System.Net.Security.SslApplicationProtocol.Http11];

    /// <summary>Test hook: observes connection phase changes.</summary>
    internal IConnectionObserver? Observer { get; init; }

    /// <summary>
    /// Total bytes the response cache holds (heads and bodies of all entries); least recently used entries are evicted
    /// beyond it. Default 64 MiB (<see cref="DefaultResponseCacheMaxBytes"/>); 0 turns the cache off server-wide
    /// (HTTP.sys UriEnableCache=0). Range 0–2^62 bytes.
    /// </summary>
    public long ResponseCacheMaxBytes
    {
        get => _responseCacheMaxBytes;
        init => _responseCacheMaxBytes = value is < 0 or > (1L << 62)
            ? throw new ArgumentOutOfRangeException(nameof(ResponseCacheMaxBytes), value, "ResponseCacheMaxBytes must be between 0 and 2^62 bytes.")
            : value;
    }

    /// <summary>
    /// Largest response body the cache stores, in bytes (HTTP.sys UriMaxUriBytes: default 262,144; HTTP.sys accepts
    /// 4 KB–16 MB). Responses up to this size are also kept buffered so they can leave in one piece. Range 1–16,777,216 bytes.
    /// </summary>
    public int ResponseCacheMaxEntryBytes
    {
        get => _responseCacheMaxEntryBytes;
        init => _responseCacheMaxEntryBytes = value is < 1 or > 16 * 1024 * 1024
            ? throw new ArgumentOutOfRangeException(nameof(ResponseCacheMaxEntryBytes), value, "ResponseCacheMaxEntryBytes must be between 1 and 16777216 bytes.")
            : value;
    }

    /// <summary>
    /// A cache entry not hit for this long is removed by the heartbeat (HTTP.sys UriScavengerPeriod: default 120 s,
    /// range 10–0xFFFFFFFF s). Range here 1 s–365 days.
    /// </summary>
    public TimeSpan ResponseCacheScavengerPeriod
    {
        get => _responseCacheScavengerPeriod;
        init => _responseCacheScavengerPeriod = value < TimeSpan.FromSeconds(1) || value > TimeSpan.FromDays(365)
            ? throw new ArgumentOutOfRangeException(nameof(ResponseCacheScavengerPeriod), value, "ResponseCacheScavengerPeriod must be between 1 second and 365 days.")
            : value;
    }
}
