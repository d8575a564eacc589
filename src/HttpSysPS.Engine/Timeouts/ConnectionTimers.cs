using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Engine.Timeouts;

/// <summary>
/// Resolved timer values converted once into <see cref="TimeProvider"/> timestamp units, so arming a deadline on the
/// hot path is one addition. <see cref="Disabled"/> marks a timer that is off (0xFFFF in HTTP.sys terms).
/// </summary>
internal sealed class ConnectionTimers
{
    public const long Disabled = long.MaxValue;

    public ConnectionTimers(TimeoutLimits resolved, TimeProvider time)
    {
        long Units(TimeoutKind kind) => resolved.GetTimeout(kind) is { } span ? (long)(span.TotalSeconds * time.TimestampFrequency) : Disabled;
        Limits = resolved;
        EntityBody = Units(TimeoutKind.EntityBody);
        DrainEntityBody = Units(TimeoutKind.DrainEntityBody);
        RequestQueue = Units(TimeoutKind.RequestQueue);
        IdleConnection = Units(TimeoutKind.IdleConnection);
        HeaderWait = Units(TimeoutKind.HeaderWait);
        MinSendBytesPerSecond = resolved.MinSendBytesPerSecond == TimeoutLimits.DisabledMinSendRate ? 0 : resolved.MinSendBytesPerSecond;
        TimestampFrequency = time.TimestampFrequency;
    }

    public TimeoutLimits Limits { get; }

    public long EntityBody { get; }

    public long DrainEntityBody { get; }

    public long RequestQueue { get; }

    public long IdleConnection { get; }

    public long HeaderWait { get; }

    /// <summary>Bytes per second; 0 when the check is off.</summary>
    public long MinSendBytesPerSecond { get; }

    public long TimestampFrequency { get; }

    /// <summary>
    /// How long a send of <paramref name="bytes"/> may take at the minimum rate (at least one second), in timestamp units,
    /// plus one heartbeat: deadlines start from the heartbeat's cached clock, which may be a tick old, and a one-second
    /// allowance taken from a stale clock could expire under a send that has only just begun (seen as wrk read errors
    /// at 256 connections).
    /// </summary>
    public long SendAllowance(long bytes) =>
        MinSendBytesPerSecond == 0 ? Disabled : (Math.Max(1, (bytes + MinSendBytesPerSecond - 1) / MinSendBytesPerSecond) + 1) * TimestampFrequency;
}
