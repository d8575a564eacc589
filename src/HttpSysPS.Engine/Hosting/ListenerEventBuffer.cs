using System.Threading.Channels;

namespace HttpSysPS.Engine.Hosting;

/// <summary>
/// A listener's recent events, bounded: when full, the oldest event is dropped (and counted), so a listener that
/// nobody watches holds a fixed amount of memory however many requests fail. Errors and warnings are always kept;
/// request lines only while <see cref="RecordRequests"/> has been switched on (a watcher wants them), because at full
/// load they would push every error out. One reader at a time.
/// </summary>
public sealed class ListenerEventBuffer
{
    /// <summary>Events kept per listener by default (our choice: enough for a burst of errors between two reads).</summary>
    public const int DefaultCapacity = 256;

    private readonly Channel<ListenerEvent> _channel;
    private long _dropped;
    private int _requestWatchers;

    /// <summary>Creates a buffer holding at most <paramref name="capacity"/> events.</summary>
    public ListenerEventBuffer(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1, nameof(capacity));
        Capacity = capacity;
        _channel = Channel.CreateBounded<ListenerEvent>(
            new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = false, SingleWriter = false },
            _ => Interlocked.Increment(ref _dropped));
    }

    /// <summary>How many events the buffer holds at most.</summary>
    public int Capacity { get; }

    /// <summary>Events dropped because the buffer was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>True while at least one watcher asked for request lines.</summary>
    public bool RecordRequests => Volatile.Read(ref _requestWatchers) > 0;

    /// <summary>Asks for request lines until the returned object is disposed.</summary>
    public IDisposable WatchRequests()
    {
        Interlocked.Increment(ref _requestWatchers);
        return new RequestWatch(this);
    }

    /// <summary>Adds an event; request lines are ignored unless <see cref="RecordRequests"/>.</summary>
    public void Add(ListenerEvent listenerEvent)
    {
        ArgumentNullException.ThrowIfNull(listenerEvent);
        if (listenerEvent.Kind == ListenerEventKind.Request && !RecordRequests)
        {
            return;
        }

        _channel.Writer.TryWrite(listenerEvent);
    }

    /// <summary>Takes the oldest event, if any.</summary>
    public bool TryRead(out ListenerEvent listenerEvent) => _channel.Reader.TryRead(out listenerEvent!);

    /// <summary>Completes when an event is available (true) or <paramref name="cancellationToken"/> fires (throws).</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => _channel.Reader.WaitToReadAsync(cancellationToken);

    private sealed class RequestWatch(ListenerEventBuffer buffer) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref buffer._requestWatchers);
            }
        }
    }
}
