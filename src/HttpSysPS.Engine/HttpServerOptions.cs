using HttpSysPS.Engine.Configuration;
using HttpSysPS.Engine.Http1;
using HttpSysPS.Engine.Queues;

using HttpSysPS.Engine.Connections;

namespace HttpSysPS.Engine;

/// <summary>Server-wide settings (HTTP.sys's service-wide layer). Immutable; validated at construction.</summary>
public sealed record HttpServerOptions
{
    private readonly long? _maxConnections;
    private readonly string? _serverHeader = DefaultServerHeader;

    /// <summary>Our Server header value (HTTP.sys sends <c>Microsoft-HTTPAPI/2.0</c>; we do not impersonate it).</summary>
    public const string DefaultServerHeader = "HttpSysPS";

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

    /// <summary>How connections over <see cref="MaxConnections"/> are refused. Default Limited: a 503 page (HTTP.sys default Basic: reset).</summary>
    public Http503Verbosity Http503Verbosity { get; init; } = Http503Verbosity.Limited;

    /// <summary>Head size limits (HTTP.sys registry defaults).</summary>
    public RequestLimits Limits { get; init; } = new();

    /// <summary>Service-wide timers; 0 = HTTP.sys default. Listener timers override these (spec §4.1).</summary>
    public TimeoutLimits Timeouts { get; init; } = TimeoutLimits.Inherit;

    /// <summary>Receives request log lines, dropped-connection reasons and warnings. Null = silent.</summary>
    public IServerEvents? Events { get; init; }

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
}
