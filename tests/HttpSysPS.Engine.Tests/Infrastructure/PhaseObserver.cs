using HttpSysPS.Engine.Connections;

namespace HttpSysPS.Engine.Tests.Infrastructure;

/// <summary>
/// Records every connection phase change so a test can await "the connection is now waiting for X" before it moves
/// the fake clock: the engine arms the deadline before it reports the phase, so advancing afterwards is never early.
/// </summary>
internal sealed class PhaseObserver : IConnectionObserver
{
    private readonly object _lock = new();
    private readonly List<(long Id, ConnectionPhase Phase)> _events = new();
    private readonly Dictionary<long, ConnectionPhase> _current = new();
    private readonly List<(Func<bool> Ready, TaskCompletionSource Signal)> _waiters = new();
    private readonly List<long> _parked = new();
    private readonly List<long> _waiting = new();

    public void PhaseChanged(long connectionId, ConnectionPhase phase) => Record(() =>
    {
        _events.Add((connectionId, phase));
        _current[connectionId] = phase;
    });

    public void Parked(long connectionId) => Record(() => _parked.Add(connectionId));

    public void WaitingForData(long connectionId) => Record(() => _waiting.Add(connectionId));

    /// <summary>Completes when connection <paramref name="connectionId"/> has begun its <paramref name="times"/>th zero-byte wait (the heartbeat may park it from then on).</summary>
    public Task WaitForWaitingAsync(long connectionId, int times = 1) =>
        WaitUntilAsync(() => _waiting.Count(id => id == connectionId) >= times);

    /// <summary>Records an event under the lock, then releases the waiters it satisfied (outside the lock).</summary>
    private void Record(Action record)
    {
        List<TaskCompletionSource>? ready = null;
        lock (_lock)
        {
            record();
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Ready())
                {
                    (ready ??= new()).Add(_waiters[i].Signal);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var signal in ready ?? [])
        {
            signal.TrySetResult();
        }
    }

    /// <summary>Completes when connection <paramref name="connectionId"/> has parked <paramref name="times"/> times.</summary>
    public Task WaitForParkedAsync(long connectionId, int times = 1) =>
        WaitUntilAsync(() => _parked.Count(id => id == connectionId) >= times);

    /// <summary>Completes when the connections together have begun <paramref name="waits"/> zero-byte waits.</summary>
    public Task WaitForAllWaitingAsync(int waits) => WaitUntilAsync(() => _waiting.Count >= waits);

    /// <summary>How many times any connection parked.</summary>
    public int ParkedCount
    {
        get
        {
            lock (_lock)
            {
                return _parked.Count;
            }
        }
    }

    /// <summary>The latest phase of a connection.</summary>
    public ConnectionPhase? CurrentPhase(long connectionId)
    {
        lock (_lock)
        {
            return _current.TryGetValue(connectionId, out var phase) ? phase : null;
        }
    }

    /// <summary>How many times any connection entered <paramref name="phase"/>.</summary>
    public int Count(ConnectionPhase phase)
    {
        lock (_lock)
        {
            return _events.Count(e => e.Phase == phase);
        }
    }

    /// <summary>Completes when <paramref name="phase"/> has been entered <paramref name="occurrences"/> times in total; returns the last connection that did.</summary>
    public async Task<long> WaitForAsync(ConnectionPhase phase, int occurrences = 1)
    {
        long id = 0;
        await WaitUntilAsync(() =>
        {
            var matches = _events.Where(e => e.Phase == phase).Take(occurrences).ToList();
            if (matches.Count < occurrences)
            {
                return false;
            }

            id = matches[^1].Id;
            return true;
        }).ConfigureAwait(false);
        return id;
    }

    /// <summary>Completes when connection <paramref name="connectionId"/> has entered <paramref name="phase"/> <paramref name="occurrences"/> times.</summary>
    public Task WaitForAsync(long connectionId, ConnectionPhase phase, int occurrences = 1) =>
        WaitUntilAsync(() => _events.Count(e => e.Id == connectionId && e.Phase == phase) >= occurrences);

    /// <summary>
    /// Completes when connection <paramref name="connectionId"/> entered <paramref name="phase"/> after it entered
    /// <paramref name="after"/>. A keep-alive response is flushed lazily (Idle, Sending, Idle again): a client can read
    /// the response before the connection is back in Idle, so "idle after the send" is what a timer test must await.
    /// </summary>
    public Task WaitForAfterAsync(long connectionId, ConnectionPhase after, ConnectionPhase phase) =>
        WaitUntilAsync(() =>
        {
            var first = _events.FindIndex(e => e.Id == connectionId && e.Phase == after);
            return first >= 0 && _events.FindIndex(first + 1, e => e.Id == connectionId && e.Phase == phase) > first;
        });

    /// <summary>Completes when the latest phase of <paramref name="connectionId"/> is <paramref name="phase"/> and at least <paramref name="afterEvents"/> events were recorded.</summary>
    public Task WaitForCurrentAsync(long connectionId, ConnectionPhase phase, int afterEvents) =>
        WaitUntilAsync(() => _events.Count > afterEvents && _current.GetValueOrDefault(connectionId) == phase);

    /// <summary>Number of events recorded so far.</summary>
    public int EventCount
    {
        get
        {
            lock (_lock)
            {
                return _events.Count;
            }
        }
    }

    private Task WaitUntilAsync(Func<bool> ready)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            if (ready())
            {
                return Task.CompletedTask;
            }

            _waiters.Add((ready, signal));
        }

        return signal.Task.WaitAsync(Bounds.Wait);
    }
}
