namespace HttpSysPS.Engine.Tests.Infrastructure;

/// <summary>Collects what the server reports (drops with their httperr reasons, request log lines, handler failures).</summary>
internal sealed class RecordingEvents : IServerEvents
{
    private readonly object _lock = new();
    private readonly List<ConnectionDropEntry> _drops = new();
    private readonly List<RequestLogEntry> _requests = new();
    private readonly List<Exception> _handlerFailures = new();
    private readonly List<string> _warnings = new();
    private TaskCompletionSource _changed = NewSignal();

    public IReadOnlyList<ConnectionDropEntry> Drops
    {
        get
        {
            lock (_lock)
            {
                return _drops.ToArray();
            }
        }
    }

    public IReadOnlyList<RequestLogEntry> Requests
    {
        get
        {
            lock (_lock)
            {
                return _requests.ToArray();
            }
        }
    }

    public IReadOnlyList<Exception> HandlerFailures
    {
        get
        {
            lock (_lock)
            {
                return _handlerFailures.ToArray();
            }
        }
    }

    public void RequestCompleted(RequestLogEntry entry) => Record(() => _requests.Add(entry));

    public void ConnectionDropped(ConnectionDropEntry entry) => Record(() => _drops.Add(entry));

    public void HandlerFailed(string listener, Exception exception) => Record(() => _handlerFailures.Add(exception));

    public void Warning(string message) => Record(() => _warnings.Add(message));

    /// <summary>Completes with the first drop whose reason is <paramref name="reason"/>.</summary>
    public async Task<ConnectionDropEntry> WaitForDropAsync(string reason) => (await WaitForDropsAsync(reason, 1).ConfigureAwait(false))[0];

    /// <summary>Completes once <paramref name="count"/> connections were dropped for <paramref name="reason"/>.</summary>
    public async Task<IReadOnlyList<ConnectionDropEntry>> WaitForDropsAsync(string reason, int count)
    {
        var deadline = DateTime.UtcNow + Bounds.Wait;
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                var matches = _drops.Where(d => d.Reason == reason).ToArray();
                if (matches.Length >= count)
                {
                    return matches;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(Remaining(deadline)).ConfigureAwait(false);
        }
    }

    /// <summary>Completes once <paramref name="count"/> request log lines match <paramref name="predicate"/>.</summary>
    public async Task<IReadOnlyList<RequestLogEntry>> WaitForRequestsAsync(Func<RequestLogEntry, bool> predicate, int count)
    {
        var deadline = DateTime.UtcNow + Bounds.Wait;
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                var matches = _requests.Where(predicate).ToArray();
                if (matches.Length >= count)
                {
                    return matches;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(Remaining(deadline)).ConfigureAwait(false);
        }
    }

    private void Record(Action add)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            add();
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    private static TimeSpan Remaining(DateTime deadline)
    {
        var left = deadline - DateTime.UtcNow;
        return left > TimeSpan.Zero ? left : throw new TimeoutException("The awaited server event did not happen.");
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
