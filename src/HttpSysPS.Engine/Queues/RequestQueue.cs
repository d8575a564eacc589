namespace HttpSysPS.Engine.Queues;

/// <summary>
/// HTTP.sys's request queue: requests that were parsed and routed wait here for a handler slot. Bounded: when
/// <see cref="Limit"/> requests already wait, the next is refused (503 QueueFull). A free slot is handed straight to
/// the request that asks for it, so the common case never waits and never allocates.
/// </summary>
/// <remarks>
/// One lock guards the counters and the waiter list; it is held for a few instructions and never across an await.
/// The RequestQueue timer is enforced by <see cref="ExpireWaiters"/>, called from the server heartbeat.
/// </remarks>
public sealed class RequestQueue
{
    private readonly object _lock = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private readonly int _maxConcurrency;
    private int _inFlight;
    private long _arrivals;
    private long _completed;
    private long _rejected;
    private long _timedOut;
    private long _cacheHits;
    private long _cacheMisses;
    private long _cacheEntries;
    private long _cacheBytes;
    private bool _stopping;

    internal RequestQueue(string name, int limit, int maxConcurrentRequests)
    {
        Name = name;
        Limit = limit;
        _maxConcurrency = maxConcurrentRequests;
    }

    /// <summary>The queue name.</summary>
    public string Name { get; }

    /// <summary>The maximum number of waiting requests.</summary>
    public int Limit { get; }

    /// <summary>Live counters.</summary>
    public RequestQueueStatistics GetStatistics()
    {
        lock (_lock)
        {
            return new RequestQueueStatistics(Name, Limit, _maxConcurrency, _waiters.Count, _inFlight, _completed, _rejected, _timedOut,
                Interlocked.Read(ref _cacheHits), Interlocked.Read(ref _cacheMisses), Interlocked.Read(ref _cacheEntries), Interlocked.Read(ref _cacheBytes), _arrivals);
        }
    }

    internal void RecordCacheHit() => Interlocked.Increment(ref _cacheHits);

    internal void RecordCacheMiss() => Interlocked.Increment(ref _cacheMisses);

    internal void RecordCacheStored(long bytes)
    {
        Interlocked.Increment(ref _cacheEntries);
        Interlocked.Add(ref _cacheBytes, bytes);
    }

    internal void RecordCacheRemoved(long bytes)
    {
        Interlocked.Decrement(ref _cacheEntries);
        Interlocked.Add(ref _cacheBytes, -bytes);
    }

    /// <summary>Admits a request to a handler slot, queues it, or refuses it.</summary>
    internal AdmissionResult TryAdmit(long now, out Task<QueueExit>? wait)
    {
        wait = null;
        lock (_lock)
        {
            _arrivals++;
            if (_stopping)
            {
                _rejected++;
                return AdmissionResult.Rejected;
            }

            if (_inFlight < _maxConcurrency && _waiters.Count == 0)
            {
                _inFlight++;
                return AdmissionResult.Admitted;
            }

            if (_waiters.Count >= Limit)
            {
                _rejected++;
                return AdmissionResult.Rejected;
            }

            var waiter = new Waiter(now);
            _waiters.AddLast(waiter);
            wait = waiter.Completion.Task;
            return AdmissionResult.Queued;
        }
    }

    /// <summary>A request finished in its handler: its slot passes to the oldest waiter, if any.</summary>
    internal void Complete()
    {
        Waiter? next = null;
        lock (_lock)
        {
            _completed++;
            if (_waiters.First is { } first)
            {
                _waiters.RemoveFirst();
                next = first.Value;
            }
            else
            {
                _inFlight--;
            }
        }

        next?.Completion.TrySetResult(QueueExit.Dequeued);
    }

    /// <summary>Drops waiters that have waited <paramref name="timeout"/> timestamp units or longer (the RequestQueue timer).</summary>
    internal int ExpireWaiters(long now, long timeout)
    {
        List<Waiter>? expired = null;
        lock (_lock)
        {
            var node = _waiters.First;
            while (node is not null && now - node.Value.EnqueuedAt >= timeout)
            {
                var next = node.Next;
                _waiters.Remove(node);
                _timedOut++;
                (expired ??= new()).Add(node.Value);
                node = next;
            }
        }

        foreach (var waiter in expired ?? [])
        {
            waiter.Completion.TrySetResult(QueueExit.TimedOut);
        }

        return expired?.Count ?? 0;
    }

    /// <summary>Refuses new requests and releases every waiter with <see cref="QueueExit.Stopping"/>.</summary>
    internal void BeginStop()
    {
        List<Waiter> waiting;
        lock (_lock)
        {
            _stopping = true;
            waiting = [.. _waiters];
            _waiters.Clear();
        }

        foreach (var waiter in waiting)
        {
            waiter.Completion.TrySetResult(QueueExit.Stopping);
        }
    }

    /// <summary>Accepts requests again after a stop.</summary>
    internal void Resume()
    {
        lock (_lock)
        {
            _stopping = false;
        }
    }

    /// <summary>When the oldest waiting request was queued (a timestamp of the server's clock), or null when none waits.</summary>
    internal long? OldestWaitStart()
    {
        lock (_lock)
        {
            return _waiters.First?.Value.EnqueuedAt;
        }
    }

    /// <summary>Requests currently in handlers.</summary>
    internal int InFlight
    {
        get
        {
            lock (_lock)
            {
                return _inFlight;
            }
        }
    }

    private sealed class Waiter(long enqueuedAt)
    {
        public long EnqueuedAt { get; } = enqueuedAt;

        // Asynchronous continuations: the completing thread is a handler's or the heartbeat's and must not run another request inline.
        public TaskCompletionSource<QueueExit> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
