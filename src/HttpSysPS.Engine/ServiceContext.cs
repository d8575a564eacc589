using HttpSysPS.Engine.Caching;
using HttpSysPS.Engine.Connections;
using HttpSysPS.Engine.Http1;
using HttpSysPS.Engine.Routing;
using HttpSysPS.Engine.Timeouts;
using HttpSysPS.Engine.Tls;

namespace HttpSysPS.Engine;

/// <summary>
/// What every connection of one server shares, handed to each connection instead of the server itself (Kestrel's
/// ServiceContext): the options, the clock, the prefix table, the caches, the TLS selector and the service-wide
/// timers. The mutable parts are snapshots swapped whole by <see cref="HttpServer"/> when the configuration changes.
/// </summary>
internal sealed class ServiceContext
{
    private ConnectionTimers _serverTimers;
    private TlsCertificateSelector _tls = TlsCertificateSelector.Empty;
    private long _nextRequestId;
    private long _sendFiles;

    public ServiceContext(HttpServerOptions options, Heartbeat heartbeat, ConnectionTimers serverTimers, Func<IEnumerable<UrlGroup>> groups)
    {
        Options = options;
        Heartbeat = heartbeat;
        _serverTimers = serverTimers;
        ErrorResponses = new ErrorResponseCache(options.ServerHeader);
        OpenFiles = new OpenFileCache(options.TimeProvider);
        ResponseCache = new ResponseCache(options.TimeProvider, options.ResponseCacheMaxBytes, options.ResponseCacheMaxEntryBytes, options.ResponseCacheScavengerPeriod);
        Connections = new ConnectionManager(options.MaxConnections);
        ErrorLog = options.ErrorLog is { } log ? Logging.LogWriters.Error(log) : null;
        Metrics = new Diagnostics.ServerMetrics(groups, Connections, ErrorLog, options.TimeProvider);
    }

    public HttpServerOptions Options { get; }

    /// <summary>The server's event sink, or null.</summary>
    public IServerEvents? Events => Options.Events;

    public Heartbeat Heartbeat { get; }

    public PrefixTable<UrlGroup> Prefixes { get; } = new();

    public ErrorResponseCache ErrorResponses { get; }

    public ResponseCache ResponseCache { get; }

    public OpenFileCache OpenFiles { get; }

    public ConnectionManager Connections { get; }

    /// <summary>The httperr log's writer, or null.</summary>
    public Logging.BackgroundLogWriter<Logging.ErrorLogEntry>? ErrorLog { get; }

    /// <summary>The server's instruments on the HttpSysPS meter.</summary>
    public Diagnostics.ServerMetrics Metrics { get; }

    /// <summary>The service-wide timers, for connections no request has routed to a listener yet.</summary>
    public ConnectionTimers ServerTimers
    {
        get => Volatile.Read(ref _serverTimers);
        set => Volatile.Write(ref _serverTimers, value);
    }

    /// <summary>The current certificate lookup (swapped whole when SSL bindings change).</summary>
    public TlsCertificateSelector Tls
    {
        get => Volatile.Read(ref _tls);
        set => Volatile.Write(ref _tls, value);
    }

    /// <summary>How many file sends went through sendfile(2).</summary>
    public long SendFileCount => Interlocked.Read(ref _sendFiles);

    public ulong NextRequestId() => (ulong)Interlocked.Increment(ref _nextRequestId);

    public void CountSendFile() => Interlocked.Increment(ref _sendFiles);

    /// <summary>Raises <see cref="IServerEvents.ConnectionDropped"/> (the httperr line of a connection closed without an answer).</summary>
    public void ReportDropped(System.Net.EndPoint? remote, System.Net.EndPoint? local, string reason)
    {
        var now = Options.TimeProvider.GetUtcNow();
        Metrics.ConnectionDropped(reason);
        ErrorLog?.Write(new Logging.ErrorLogEntry(now, remote, local, null, null, null, null, reason, null));
        Events?.ConnectionDropped(new ConnectionDropEntry(now, remote, local, reason));
    }
}
