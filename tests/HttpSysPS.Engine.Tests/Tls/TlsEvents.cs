namespace HttpSysPS.Engine.Tests.Tls;

/// <summary>Records the server's dropped connections and warnings; tests wait for a drop without polling.</summary>
internal sealed class TlsEvents : IServerEvents
{
    private readonly object _lock = new();
    private readonly List<ConnectionDropEntry> _drops = [];
    private readonly List<string> _warnings = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool LogsRequests => false;

    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_lock)
            {
                return _warnings.ToArray();
            }
        }
    }

    public void ConnectionDropped(ConnectionDropEntry entry) => Record(() => _drops.Add(entry));

    public void Warning(string message) => Record(() => _warnings.Add(message));

    /// <summary>The first drop whose reason satisfies <paramref name="match"/>; fails after <see cref="TlsTestServer.Bound"/>.</summary>
    public async Task<ConnectionDropEntry> WaitForDropAsync(Func<string, bool> match)
    {
        var deadline = DateTime.UtcNow + TlsTestServer.Bound;
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_drops.FirstOrDefault(d => match(d.Reason)) is { Reason: not null } found)
                {
                    return found;
                }

                changed = _changed.Task;
            }

            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero || await Task.WhenAny(changed, Task.Delay(remaining)) != changed)
            {
                Assert.Fail($"No matching connection drop within {TlsTestServer.Bound.TotalSeconds} s; drops seen: {string.Join(" | ", Snapshot().Select(d => d.Reason))}");
            }
        }
    }

    /// <summary>The first warning that satisfies <paramref name="match"/>; fails after <see cref="TlsTestServer.Bound"/>.</summary>
    public async Task<string> WaitForWarningAsync(Func<string, bool> match)
    {
        var deadline = DateTime.UtcNow + TlsTestServer.Bound;
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_warnings.FirstOrDefault(match) is { } found)
                {
                    return found;
                }

                changed = _changed.Task;
            }

            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero || await Task.WhenAny(changed, Task.Delay(remaining)) != changed)
            {
                Assert.Fail($"No matching warning within {TlsTestServer.Bound.TotalSeconds} s; warnings seen: {string.Join(" | ", Warnings)}");
            }
        }
    }

    private ConnectionDropEntry[] Snapshot()
    {
        lock (_lock)
        {
            return _drops.ToArray();
        }
    }

    private void Record(Action add)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            add();
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
