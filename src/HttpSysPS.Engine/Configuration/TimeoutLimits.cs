using System.Globalization;

namespace HttpSysPS.Engine.Configuration;

/// <summary>
/// The six HTTP.sys timers (HTTP_TIMEOUT_LIMIT_INFO, spec §4.1), used at every level of the cascade:
/// listener (URL group) override &gt; service-wide store &gt; HTTP.sys built-in default.
/// </summary>
/// <remarks>
/// A value of <c>0</c> means "inherit" (the next level decides). <see cref="DisabledSeconds"/> (0xFFFF) turns a
/// seconds timer off and <see cref="DisabledMinSendRate"/> (0xFFFFFFFF) turns off the send-rate check, as in
/// HTTP.sys. Seconds are 0-65535 (a USHORT); MinSendBytesPerSecond is 0-4294967295 (a ULONG). Out-of-range values
/// throw <see cref="ArgumentOutOfRangeException"/> naming the timer and its unit. <see cref="Resolve"/> yields
/// concrete effective values; <see cref="GetTimeout"/> turns a resolved seconds timer into a <see cref="TimeSpan"/>.
/// </remarks>
public sealed record TimeoutLimits
{
    /// <summary>Seconds value that disables a timer (MAXUSHORT).</summary>
    public const int DisabledSeconds = 0xFFFF;

    /// <summary>MinSendBytesPerSecond value that disables the send-rate check (MAXULONG).</summary>
    public const long DisabledMinSendRate = 0xFFFFFFFF;

    /// <summary>HTTP.sys default for every seconds timer: 120 s.</summary>
    public const int DefaultSeconds = 120;

    /// <summary>HTTP.sys default MinSendRate: 150 bytes/s.</summary>
    public const long DefaultMinSendBytesPerSecond = 150;

    private readonly int _entityBody;
    private readonly int _drainEntityBody;
    private readonly int _requestQueue;
    private readonly int _idleConnection;
    private readonly int _headerWait;
    private readonly long _minSendBytesPerSecond;

    /// <summary>Every timer 0: inherit everything.</summary>
    public static TimeoutLimits Inherit { get; } = new();

    /// <summary>The HTTP.sys built-in defaults: 120 s for the five timers, 150 bytes/s send rate.</summary>
    public static TimeoutLimits HttpSysDefaults { get; } = new()
    {
        EntityBody = DefaultSeconds,
        DrainEntityBody = DefaultSeconds,
        RequestQueue = DefaultSeconds,
        IdleConnection = DefaultSeconds,
        HeaderWait = DefaultSeconds,
        MinSendBytesPerSecond = DefaultMinSendBytesPerSecond,
    };

    /// <summary>Seconds between body chunks before the connection is closed. 0 = inherit; HTTP.sys default 120 s.</summary>
    public int EntityBody { get => _entityBody; init => _entityBody = CheckSeconds(value, nameof(EntityBody)); }

    /// <summary>Seconds allowed to drain an unread body after the response. 0 = inherit; HTTP.sys default 120 s.</summary>
    public int DrainEntityBody { get => _drainEntityBody; init => _drainEntityBody = CheckSeconds(value, nameof(DrainEntityBody)); }

    /// <summary>Seconds a request may wait in the queue. 0 = inherit; HTTP.sys default 120 s.</summary>
    public int RequestQueue { get => _requestQueue; init => _requestQueue = CheckSeconds(value, nameof(RequestQueue)); }

    /// <summary>Seconds an idle keep-alive connection is kept. 0 = inherit; HTTP.sys default 120 s (netsh idleconnectiontimeout).</summary>
    public int IdleConnection { get => _idleConnection; init => _idleConnection = CheckSeconds(value, nameof(IdleConnection)); }

    /// <summary>Seconds to receive all request headers. 0 = inherit; HTTP.sys default 120 s (netsh headerwaittimeout).</summary>
    public int HeaderWait { get => _headerWait; init => _headerWait = CheckSeconds(value, nameof(HeaderWait)); }

    /// <summary>Minimum response send rate in bytes/s. 0 = inherit; HTTP.sys default 150 bytes/s.</summary>
    public long MinSendBytesPerSecond
    {
        get => _minSendBytesPerSecond;
        init => _minSendBytesPerSecond = value is >= 0 and <= DisabledMinSendRate
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MinSendBytesPerSecond), value, $"MinSendBytesPerSecond must be 0-{DisabledMinSendRate} bytes per second (0 = inherit, {DisabledMinSendRate} = disabled); got {value} bytes per second.");
    }

    /// <summary>The raw value of one timer (seconds, or bytes/s for MinSendBytesPerSecond).</summary>
    public long Get(TimeoutKind kind) => kind switch
    {
        TimeoutKind.EntityBody => EntityBody,
        TimeoutKind.DrainEntityBody => DrainEntityBody,
        TimeoutKind.RequestQueue => RequestQueue,
        TimeoutKind.IdleConnection => IdleConnection,
        TimeoutKind.HeaderWait => HeaderWait,
        TimeoutKind.MinSendBytesPerSecond => MinSendBytesPerSecond,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown timer."),
    };

    /// <summary>A copy with one timer changed; range-checked like the properties.</summary>
    public TimeoutLimits With(TimeoutKind kind, long value)
    {
        int Seconds() => value is >= 0 and <= DisabledSeconds
            ? (int)value
            : throw new ArgumentOutOfRangeException(kind.ToString(), value, SecondsMessage(kind.ToString(), value));
        return kind switch
        {
            TimeoutKind.EntityBody => this with { EntityBody = Seconds() },
            TimeoutKind.DrainEntityBody => this with { DrainEntityBody = Seconds() },
            TimeoutKind.RequestQueue => this with { RequestQueue = Seconds() },
            TimeoutKind.IdleConnection => this with { IdleConnection = Seconds() },
            TimeoutKind.HeaderWait => this with { HeaderWait = Seconds() },
            TimeoutKind.MinSendBytesPerSecond => this with { MinSendBytesPerSecond = value },
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown timer."),
        };
    }

    /// <summary>
    /// The effective values: for each timer the listener override if non-zero, else the service-wide value if non-zero,
    /// else the HTTP.sys default (spec §4.1 precedence). The result has no zeros; disabled timers stay disabled.
    /// </summary>
    public static TimeoutLimits Resolve(TimeoutLimits? listenerOverride, TimeoutLimits? serviceWide)
    {
        var result = HttpSysDefaults;
        foreach (var kind in Enum.GetValues<TimeoutKind>())
        {
            var fromListener = listenerOverride?.Get(kind) ?? 0;
            var value = fromListener > 0 ? fromListener : serviceWide?.Get(kind) ?? 0;
            if (value > 0)
            {
                result = result.With(kind, value);
            }
        }

        return result;
    }

    /// <summary>
    /// A resolved seconds timer as a <see cref="TimeSpan"/>; null when disabled (0xFFFF). Call on a <see cref="Resolve"/>d
    /// instance: a 0 (inherit) here is read as the HTTP.sys default, 120 s.
    /// </summary>
    public TimeSpan? GetTimeout(TimeoutKind kind)
    {
        if (kind == TimeoutKind.MinSendBytesPerSecond)
        {
            throw new ArgumentOutOfRangeException(nameof(kind), kind, "MinSendBytesPerSecond is a rate in bytes per second, not a timeout.");
        }

        var seconds = Get(kind);
        return seconds == DisabledSeconds ? null : TimeSpan.FromSeconds(seconds == 0 ? DefaultSeconds : seconds);
    }

    /// <summary>netsh-style text of one raw value: the number, "inherit" for 0, "disabled" for the off value.</summary>
    public string Describe(TimeoutKind kind)
    {
        var value = Get(kind);
        var off = kind == TimeoutKind.MinSendBytesPerSecond ? DisabledMinSendRate : DisabledSeconds;
        return value == 0 ? "inherit" : value == off ? "disabled" : value.ToString(CultureInfo.InvariantCulture);
    }

    private static int CheckSeconds(int value, string name) => value is >= 0 and <= DisabledSeconds
        ? value
        : throw new ArgumentOutOfRangeException(name, value, SecondsMessage(name, value));

    private static string SecondsMessage(string name, long value) =>
        $"{name} must be 0-{DisabledSeconds} seconds (0 = inherit, {DisabledSeconds} = disabled); got {value} seconds.";
}
