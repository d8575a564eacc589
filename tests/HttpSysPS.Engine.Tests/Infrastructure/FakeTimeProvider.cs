namespace HttpSysPS.Engine.Tests.Infrastructure;

/// <summary>
/// A clock that moves only when a test calls <see cref="Advance"/>. Due timers fire synchronously inside
/// <see cref="Advance"/>, in due order, each periodic timer once per elapsed period, so after Advance returns every
/// heartbeat tick in that span has run. (Microsoft.Extensions.TimeProvider.Testing is not on the package mirror.)
/// </summary>
internal sealed class FakeTimeProvider : TimeProvider
{
    private readonly object _lock = new();
    private readonly object _advanceLock = new();
    private readonly List<FakeTimer> _timers = new();
    private DateTimeOffset _now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private long _elapsedTicks;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public override long GetTimestamp()
    {
        lock (_lock)
        {
            return _elapsedTicks;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way.</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        lock (_advanceLock)
        {
            long target;
            lock (_lock)
            {
                target = _elapsedTicks + delta.Ticks;
            }

            while (true)
            {
                FakeTimer? next = null;
                lock (_lock)
                {
                    foreach (var timer in _timers)
                    {
                        if (timer.Due is { } due && due <= target && (next is null || due < next.Due))
                        {
                            next = timer;
                        }
                    }

                    if (next is null)
                    {
                        MoveTo(target);
                        break;
                    }

                    MoveTo(Math.Max(_elapsedTicks, next.Due!.Value));
                    next.Due = next.Period > 0 ? next.Due + next.Period : null;
                }

                next.Fire();
            }
        }
    }

    private void MoveTo(long ticks)
    {
        _now += TimeSpan.FromTicks(ticks - _elapsedTicks);
        _elapsedTicks = ticks;
    }

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public long? Due { get; set; }

        public long Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (owner._lock)
            {
                if (!owner._timers.Contains(this))
                {
                    owner._timers.Add(this);
                }

                Due = dueTime == Timeout.InfiniteTimeSpan ? null : owner._elapsedTicks + Math.Max(0, dueTime.Ticks);
                Period = period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? 0 : period.Ticks;
            }

            return true;
        }

        public void Fire() => callback(state);

        public void Dispose()
        {
            lock (owner._lock)
            {
                owner._timers.Remove(this);
                Due = null;
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
