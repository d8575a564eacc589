using HttpSysPS.Engine.Connections;

namespace HttpSysPS.Engine.Timeouts;

/// <summary>
/// A connection's phase and its one deadline (HTTP.sys arms at most one timer per connection): set at every phase
/// change from the heartbeat's cached clock, checked by the heartbeat, re-armed when the timers change live.
/// </summary>
internal sealed class ConnectionDeadline
{
    private readonly Heartbeat _heartbeat;
    private readonly IConnectionObserver? _observer;
    private readonly long _connectionId;
    private long _deadline = long.MaxValue;
    private long _armedAt;

    public ConnectionDeadline(Heartbeat heartbeat, IConnectionObserver? observer, long connectionId)
    {
        _heartbeat = heartbeat;
        _observer = observer;
        _connectionId = connectionId;
    }

    public ConnectionPhase Phase { get; private set; }

    /// <summary>The timer the deadline belongs to.</summary>
    public TimeoutReason Reason { get; private set; }

    /// <summary>
    /// Enters <paramref name="phase"/> with a deadline <paramref name="timeout"/> from now (or none: <see cref="ConnectionTimers.Disabled"/>).
    /// A closed connection stays closed: a read or send that ends after the abort does not bring back a live phase.
    /// </summary>
    public void Set(ConnectionPhase phase, long timeout, TimeoutReason reason)
    {
        if (Phase == ConnectionPhase.Closed)
        {
            return;
        }

        Phase = phase;
        Reason = reason;
        Volatile.Write(ref _armedAt, _heartbeat.Now);
        Volatile.Write(ref _deadline, timeout == ConnectionTimers.Disabled ? long.MaxValue : _armedAt + timeout);
        _observer?.PhaseChanged(_connectionId, phase);
    }

    /// <summary>Enters <see cref="ConnectionPhase.Sending"/> with the send's allowance (MinSendBytesPerSecond); returns what to <see cref="Restore"/> after.</summary>
    public (ConnectionPhase Phase, long Deadline, long ArmedAt, TimeoutReason Reason) BeginSend(long allowance)
    {
        var saved = Save();
        Set(ConnectionPhase.Sending, allowance, TimeoutReason.MinSendRate);
        return saved;
    }

    /// <summary>The phase and deadline now, for <see cref="Restore"/> after a send.</summary>
    public (ConnectionPhase Phase, long Deadline, long ArmedAt, TimeoutReason Reason) Save() => (Phase, Volatile.Read(ref _deadline), _armedAt, Reason);

    public void Restore((ConnectionPhase Phase, long Deadline, long ArmedAt, TimeoutReason Reason) saved)
    {
        if (Phase == ConnectionPhase.Closed)
        {
            return;
        }

        Phase = saved.Phase;
        Reason = saved.Reason;
        _armedAt = saved.ArmedAt;
        Volatile.Write(ref _deadline, saved.Deadline);
        _observer?.PhaseChanged(_connectionId, saved.Phase);
    }

    /// <summary>Heartbeat: true when the connection has been waiting for a request for more than <paramref name="span"/>.</summary>
    public bool IdleLongerThan(long now, long span) => Phase == ConnectionPhase.Idle && now - Volatile.Read(ref _armedAt) > span;

    /// <summary>
    /// Heartbeat: true exactly once when the deadline has passed (it is then disarmed, so a close that is still on its
    /// way is not started twice).
    /// </summary>
    public bool TryExpire(long now)
    {
        var deadline = Volatile.Read(ref _deadline);
        return now >= deadline && Interlocked.CompareExchange(ref _deadline, long.MaxValue, deadline) == deadline;
    }

    /// <summary>
    /// The timers changed (a live store change): the armed deadline is measured again from when it was armed, with the
    /// new value, as HTTP.sys applies service-wide timer changes to existing connections. The send allowance
    /// (MinSendBytesPerSecond) stays as armed: it depends on the bytes of the send under way.
    /// </summary>
    public void Rearm(ConnectionTimers timers)
    {
        // Runs on the config thread while the connection may change phase: the deadline is read first and replaced only
        // if it is still that one, so a phase entered meanwhile keeps its own deadline.
        var armed = Volatile.Read(ref _deadline);
        if (armed == long.MaxValue)
        {
            return;
        }

        var timeout = Reason switch
        {
            TimeoutReason.IdleConnection => timers.IdleConnection,
            TimeoutReason.HeaderWait => timers.HeaderWait,
            TimeoutReason.EntityBody => timers.EntityBody,
            TimeoutReason.DrainEntityBody => timers.DrainEntityBody,
            _ => (long?)null,
        };
        if (timeout is { } value)
        {
            Interlocked.CompareExchange(ref _deadline, value == ConnectionTimers.Disabled ? long.MaxValue : _armedAt + value, armed);
        }
    }
}
