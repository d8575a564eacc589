using HttpSysPS.Engine.Handlers;
using HttpSysPS.Engine.Queues;
using HttpSysPS.Engine.Routing;
using HttpSysPS.Engine.Timeouts;

namespace HttpSysPS.Engine;

/// <summary>
/// A listener: an HTTP.sys URL group (prefixes + properties) bound to its own <see cref="Queues.RequestQueue"/> and a
/// handler. Several URL groups may share a port; <see cref="PrefixTable{TTarget}"/> routes between them.
/// </summary>
public sealed class UrlGroup
{
    private readonly HttpServer _server;
    private readonly object _lock = new();
    private IReadOnlyList<UrlPrefix> _registered = [];
    private TaskCompletionSource _stopped = NewStoppedSignal(completed: true);
    private TaskCompletionSource? _drained;
    private int _active;
    private long _connections;
    private ConnectionTimers _timers;

    internal UrlGroup(HttpServer server, UrlGroupOptions options, IRequestHandler handler, ConnectionTimers timers)
    {
        _server = server;
        Options = options;
        Handler = handler;
        _timers = timers;
        RequestQueue = new RequestQueue(options.RequestQueueName ?? options.Name, options.RequestQueueLimit, options.MaxConcurrentRequests);
        AccessLog = options.AccessLog is { } log ? Logging.LogWriters.Access(log) : null;
    }

    /// <summary>The listener's name.</summary>
    public string Name => Options.Name;

    /// <summary>The settings it was created with.</summary>
    public UrlGroupOptions Options { get; }

    /// <summary>The handler requests are dispatched to.</summary>
    public IRequestHandler Handler { get; }

    /// <summary>The bounded queue in front of the handler.</summary>
    public RequestQueue RequestQueue { get; }

    /// <summary>The WebSockets this listener's handlers accepted and that are still open.</summary>
    public WebSockets.WebSocketRegistry WebSockets { get; } = new();

    /// <summary>The W3C access log's writer, or null. Closed when the listener is removed or the server disposed.</summary>
    internal Logging.BackgroundLogWriter<RequestLogEntry>? AccessLog { get; }

    /// <summary>The life-cycle state.</summary>
    public UrlGroupState State { get; internal set; } = UrlGroupState.Created;

    /// <summary>The prefixes as registered: port 0 replaced by the real port. Empty unless started.</summary>
    public IReadOnlyList<UrlPrefix> RegisteredPrefixes => Volatile.Read(ref _registered);

    /// <summary>Completes when the listener stops (or immediately when it is not started).</summary>
    public Task WhenStopped => Volatile.Read(ref _stopped).Task;

    /// <summary>The listener's effective timers; replaced when the service-wide timers change in the store.</summary>
    internal ConnectionTimers Timers
    {
        get => Volatile.Read(ref _timers);
        set => Volatile.Write(ref _timers, value);
    }

    /// <summary>Registers the prefixes and opens their ports.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => _server.StartUrlGroupAsync(this, cancellationToken);

    /// <summary>Stops taking requests, lets in-flight ones finish within <paramref name="gracePeriod"/>, then aborts the rest.</summary>
    public Task StopAsync(TimeSpan gracePeriod, CancellationToken cancellationToken = default) => _server.StopUrlGroupAsync(this, gracePeriod, cancellationToken);

    /// <summary>Stops (if started) and removes the listener from its server.</summary>
    public Task RemoveAsync(TimeSpan gracePeriod) => _server.RemoveUrlGroupAsync(this, gracePeriod);

    public override string ToString() => $"listener '{Name}'";

    internal void SetRegistered(IReadOnlyList<UrlPrefix> prefixes) => Volatile.Write(ref _registered, prefixes);

    internal void MarkStarted()
    {
        lock (_lock)
        {
            State = UrlGroupState.Started;
            _stopped = NewStoppedSignal(completed: false);
        }
    }

    internal void MarkStopped(UrlGroupState state)
    {
        lock (_lock)
        {
            State = state;
            _stopped.TrySetResult();
        }
    }

    /// <summary>A connection begins a request for this group.</summary>
    internal void EnterRequest() => Interlocked.Increment(ref _active);

    /// <summary>A request of this group is fully answered.</summary>
    internal void ExitRequest()
    {
        if (Interlocked.Decrement(ref _active) == 0)
        {
            Volatile.Read(ref _drained)?.TrySetResult();
        }
    }

    /// <summary>A task that completes when no request of this group is being processed.</summary>
    internal Task WhenDrained()
    {
        var drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _drained, drained);
        if (Volatile.Read(ref _active) == 0)
        {
            drained.TrySetResult();
        }

        return drained.Task;
    }

    /// <summary>Counts a connection against <see cref="UrlGroupOptions.MaxConnections"/>; false when full.</summary>
    internal bool TryAttachConnection()
    {
        if (Options.MaxConnections is not { } max)
        {
            Interlocked.Increment(ref _connections);
            return true;
        }

        while (true)
        {
            var current = Interlocked.Read(ref _connections);
            if (current >= max)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _connections, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    internal void DetachConnection() => Interlocked.Decrement(ref _connections);

    private static TaskCompletionSource NewStoppedSignal(bool completed)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            tcs.SetResult();
        }

        return tcs;
    }
}
