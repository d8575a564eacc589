using System.Net.Sockets;
using HttpSysPS.Engine.Caching;
using HttpSysPS.Engine.Configuration;
using HttpSysPS.Engine.Connections;
using HttpSysPS.Engine.Handlers;
using HttpSysPS.Engine.Http1;
using HttpSysPS.Engine.Queues;
using HttpSysPS.Engine.Routing;
using HttpSysPS.Engine.Timeouts;
using HttpSysPS.Engine.Tls;

namespace HttpSysPS.Engine;

/// <summary>
/// The server: listening endpoints, the prefix table shared by all listeners (URL groups), the connections, and the
/// heartbeat that enforces the HTTP.sys timers. Create listeners with <see cref="CreateUrlGroup"/>, then start them.
/// </summary>
public sealed class HttpServer : IAsyncDisposable
{
    private readonly object _lock = new();
    private readonly Dictionary<string, UrlGroup> _groups = new(StringComparer.OrdinalIgnoreCase);
    private readonly ServiceContext _service;
    private readonly EndpointManager _endpoints;
    private readonly IDisposable? _configWatch;
    private readonly SslCertificateLoader _certificateLoader;
    private ServiceConfig _config;
    private bool _disposing;
    private volatile bool _disposed;

    /// <summary>Creates a server; nothing listens until a listener starts.</summary>
    public HttpServer(HttpServerOptions? options = null)
    {
        Options = options ?? new HttpServerOptions();
        _certificateLoader = new SslCertificateLoader(Options.TimeProvider);

        // A corrupt store fails here, before anything listens, with the file named.
        _config = Options.ConfigStore?.Read() ?? ServiceConfig.Empty;
        Authorizer = Options.Authorizer ?? (Options.ConfigStore is null ? null : new ReservationAuthorizer(() => Volatile.Read(ref _config), Options.Identity ?? ProcessIdentity.Current()));
        var heartbeat = new Heartbeat(Options.TimeProvider, OnTick, e => Options.Events?.Warning($"A heartbeat tick failed; the next tick runs as usual: {e}"));
        _service = new ServiceContext(Options, heartbeat, new ConnectionTimers(ServiceWideTimeouts(_config), Options.TimeProvider),
            groups: () => UrlGroups);
        _endpoints = new EndpointManager(new ConnectionAcceptor(_service).OnAccepted, message => Options.Events?.Warning(message), Options.TimeProvider);
        RebuildTls(_config);
        _configWatch = Options.ConfigStore?.Watch(OnConfigChanged, e => Options.Events?.Warning($"The config store could not be read; the last good configuration stays in force: {e.Message}"));
    }

    /// <summary>The server-wide settings.</summary>
    public HttpServerOptions Options { get; }

    /// <summary>Every listener of this server.</summary>
    public IReadOnlyList<UrlGroup> UrlGroups
    {
        get
        {
            lock (_lock)
            {
                return _groups.Values.ToArray();
            }
        }
    }

    /// <summary>How many file sends went through the kernel (sendfile) rather than user-space copies.</summary>
    public long SendFileCount => _service.SendFileCount;

    /// <summary>Open connections now.</summary>
    public int ConnectionCount => _service.Connections.Count;

    /// <summary>This server's meter (named <see cref="Diagnostics.HttpSysMeter.Name"/>): a MeterListener can pick exactly this server's instruments.</summary>
    public System.Diagnostics.Metrics.Meter Meter => _service.Metrics.Meter;

    internal IPrefixAuthorizer? Authorizer { get; }

    /// <summary>The configuration snapshot in force.</summary>
    public ServiceConfig Configuration => Volatile.Read(ref _config);

    private PrefixTable<UrlGroup> Prefixes => _service.Prefixes;

    private ResponseCache ResponseCache => _service.ResponseCache;

    /// <summary>
    /// Removes cached responses under <paramref name="prefix"/> (HttpFlushResponseCache; <c>netsh http delete cache</c>):
    /// with <paramref name="recursive"/>, every URL below the prefix's path; otherwise only the URL that is exactly the
    /// prefix's path (with any query string). A '+' or '*' host matches every host. Returns the number of entries removed.
    /// </summary>
    public int FlushResponseCache(UrlPrefix prefix, bool recursive)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return ResponseCache.Flush(prefix, recursive);
    }

    /// <summary>The response cache's live entries (<c>netsh http show cachestate</c>), optionally only those under <paramref name="prefix"/>.</summary>
    public IReadOnlyList<ResponseCacheEntryInfo> GetResponseCacheEntries(UrlPrefix? prefix = null)
    {
        var time = Options.TimeProvider;
        var now = time.GetTimestamp();
        return ResponseCache.Snapshot()
            .Where(e => prefix is null || ResponseCache.Matches(prefix, recursive: true, e))
            .Select(e => ResponseCacheEntryInfo.From(e, now, time.TimestampFrequency))
            .OrderBy(e => e.Url, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Creates a listener (not started). Names are unique per server.</summary>
    public UrlGroup CreateUrlGroup(UrlGroupOptions options, IRequestHandler handler)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed || _disposing, this);

            // Timers resolved under the lock that OnConfigChanged takes: a change cannot slip between reading the
            // configuration and adding the group, which would leave the group with stale timers.
            var timers = new ConnectionTimers(TimeoutLimits.Resolve(options.Timeouts, ServiceWideTimeouts(Configuration)), Options.TimeProvider);
            var group = new UrlGroup(this, options, handler, timers);
            if (!_groups.TryAdd(options.Name, group))
            {
                throw new HttpSysException(HttpSysErrorReason.AlreadyExists, $"A listener named '{options.Name}' already exists.");
            }

            return group;
        }
    }

    /// <summary>Finds a listener by name.</summary>
    public UrlGroup? GetUrlGroup(string name)
    {
        lock (_lock)
        {
            return _groups.GetValueOrDefault(name);
        }
    }

    /// <summary>Stops every listener gracefully.</summary>
    public Task StopAsync(TimeSpan gracePeriod) => Task.WhenAll(UrlGroups.Select(g => g.State == UrlGroupState.Started ? g.StopAsync(gracePeriod) : Task.CompletedTask));

    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_disposing)
            {
                return;
            }

            // From here on no listener starts (StartUrlGroupAsync checks it under the same lock), so the stop below
            // releases every endpoint there will ever be: a Start racing Dispose cannot leak a listening socket.
            _disposing = true;
        }

        await StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        _disposed = true;
        _service.Connections.AbortAll();
        _configWatch?.Dispose();
        _service.Heartbeat.Dispose();
        _service.OpenFiles.Dispose();
        _service.Metrics.Dispose();

        // Last, so the lines of the requests the stop finished are in the files when DisposeAsync returns.
        foreach (var log in UrlGroups.Select(g => g.AccessLog).OfType<Logging.BackgroundLogWriter<RequestLogEntry>>())
        {
            await log.DisposeAsync().ConfigureAwait(false);
        }

        if (_service.ErrorLog is { } errors)
        {
            await errors.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal Task StartUrlGroupAsync(UrlGroup group, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed || _disposing, this);
            if (group.State is not (UrlGroupState.Created or UrlGroupState.Stopped))
            {
                throw new HttpSysException(HttpSysErrorReason.InvalidState, $"{group} cannot start: it is {group.State}.");
            }

            var registered = new List<UrlPrefix>();
            var dynamicPorts = new Dictionary<string, int>();
            try
            {
                foreach (var prefix in group.Options.UrlPrefixes)
                {
                    Authorizer?.EnsureCanRegister(prefix);

                    // Refuse in-table conflicts before opening a port for them.
                    if (!prefix.IsDynamicPort)
                    {
                        Prefixes.Register(prefix, group);
                        try
                        {
                            _endpoints.Acquire(prefix, null);
                        }
                        catch
                        {
                            Prefixes.Unregister(prefix, group);
                            throw;
                        }

                        registered.Add(prefix);
                        continue;
                    }

                    // All port-0 prefixes of one listener and scheme share the port chosen for the first.
                    var resolved = _endpoints.Acquire(prefix, dynamicPorts.TryGetValue(prefix.Scheme, out var port) ? port : null);
                    dynamicPorts[prefix.Scheme] = resolved.Port;
                    try
                    {
                        Prefixes.Register(resolved, group);
                    }
                    catch
                    {
                        ReleaseEndpoint(resolved);
                        throw;
                    }

                    registered.Add(resolved);
                }
            }
            catch
            {
                foreach (var prefix in registered)
                {
                    Prefixes.Unregister(prefix, group);
                    ReleaseEndpoint(prefix);
                }

                throw;
            }

            group.SetRegistered(registered);
            group.RequestQueue.Resume();
            group.MarkStarted();
        }

        return Task.CompletedTask;
    }

    internal async Task StopUrlGroupAsync(UrlGroup group, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(gracePeriod, TimeSpan.Zero, nameof(gracePeriod));
        IReadOnlyList<UrlPrefix> prefixes;
        lock (_lock)
        {
            if (group.State != UrlGroupState.Started)
            {
                return;
            }

            group.State = UrlGroupState.Stopping;
            prefixes = group.RegisteredPrefixes;

            // HTTP.sys removes the registrations first: new requests for them are routed elsewhere or refused.
            Prefixes.UnregisterAll(group);
        }

        group.RequestQueue.BeginStop();
        group.WebSockets.CloseAllForStop();
        var drained = group.WhenDrained();
        if (!drained.IsCompleted)
        {
            using var delayCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(gracePeriod, Options.TimeProvider, delayCancel.Token);
            await Task.WhenAny(drained, delay).ConfigureAwait(false);
            delayCancel.Cancel();
        }

        var aborted = !drained.IsCompleted;
        _service.Connections.OnUrlGroupStopped(group, abort: aborted);
        if (aborted)
        {
            // The stop completes only when the aborted handlers have returned: a listener marked Stopped (and a
            // scriptblock's runspaces disposed by its owner) while handlers still run would let a restart overlap them.
            await group.WhenDrained().ConfigureAwait(false);
        }

        lock (_lock)
        {
            foreach (var prefix in prefixes)
            {
                ReleaseEndpoint(prefix);
            }

            group.SetRegistered([]);
            group.MarkStopped(UrlGroupState.Stopped);

            // HTTP.sys drops a registration's cached responses with it (spec §7.4).
            ResponseCache.RemoveGroup(group);
        }
    }

    internal async Task RemoveUrlGroupAsync(UrlGroup group, TimeSpan gracePeriod)
    {
        await StopUrlGroupAsync(group, gracePeriod, CancellationToken.None).ConfigureAwait(false);
        lock (_lock)
        {
            _groups.Remove(group.Name);
            group.MarkStopped(UrlGroupState.Removed);
        }

        if (group.AccessLog is { } log)
        {
            await log.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Re-reads nothing: applies a snapshot the store watcher delivered (timers, TLS bindings; reservations are read per registration).</summary>
    internal void OnConfigChanged(ServiceConfig config)
    {
        var serviceWide = ServiceWideTimeouts(config);
        lock (_lock)
        {
            // Open connections read the timers of their listener (or these) at every arming, so the change reaches
            // keep-alive connections at their next phase, as HTTP.sys applies service-wide timer changes.
            _service.ServerTimers = new ConnectionTimers(serviceWide, Options.TimeProvider);
            foreach (var group in _groups.Values)
            {
                group.Timers = new ConnectionTimers(TimeoutLimits.Resolve(group.Options.Timeouts, serviceWide), Options.TimeProvider);
            }

            _service.Connections.OnTimersChanged();
            RebuildTls(config);

            // Published last: once Configuration shows a snapshot, every part of it is in force (the next handshake
            // already uses its SSL bindings), so callers can wait for a change by watching Configuration.
            Volatile.Write(ref _config, config);
        }
    }

    private void RebuildTls(ServiceConfig config)
    {
        var previous = _service.Tls;
        var selector = TlsCertificateSelector.Build(config.SslBindings, previous, _certificateLoader, Options.ApplicationProtocols);
        foreach (var error in selector.Errors)
        {
            Options.Events?.Warning(error);
        }

        _service.Tls = selector;

        // A newly loaded binding that staples: ask its OCSP responder once and log why handshakes would go without a staple.
        foreach (var context in selector.Contexts.Except(previous.Contexts).Distinct())
        {
            _ = OcspStapling.ProbeAsync(context, message => Options.Events?.Warning(message));
        }
    }

    /// <summary>Service-wide timers: the options' values over the store's, over HTTP.sys's defaults.</summary>
    private TimeoutLimits ServiceWideTimeouts(ServiceConfig config) => TimeoutLimits.Resolve(Options.Timeouts, config.Timeouts);

    private void ReleaseEndpoint(UrlPrefix prefix)
    {
        foreach (var endpoint in _endpoints.Release(prefix))
        {
            // The port closed: connections accepted on it end after their current response (HTTP.sys drops them on unregistration).
            _service.Connections.OnEndpointClosed(endpoint);
        }
    }

    private void OnTick(long now)
    {
        _service.Connections.CheckDeadlines(now);
        foreach (var group in UrlGroups)
        {
            if (group.Timers.RequestQueue != ConnectionTimers.Disabled)
            {
                group.RequestQueue.ExpireWaiters(now, group.Timers.RequestQueue);
            }
        }

        ResponseCache.Scavenge(now);
        _service.OpenFiles.Scavenge(now);
    }
}
