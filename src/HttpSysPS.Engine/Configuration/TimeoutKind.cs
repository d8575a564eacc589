namespace HttpSysPS.Engine.Configuration;

/// <summary>The six HTTP.sys timers, by their HTTP_TIMEOUT_LIMIT_INFO names (spec §4.1).</summary>
public enum TimeoutKind
{
    /// <summary>Idle time between pieces of a request body (restarts on every arrival). Seconds.</summary>
    EntityBody = 0,

    /// <summary>Time to drain an unread request body after the response, to reach the next keep-alive request. Seconds.</summary>
    DrainEntityBody = 1,

    /// <summary>Time a request may wait in the request queue before the application takes it. Seconds.</summary>
    RequestQueue = 2,

    /// <summary>Idle keep-alive connection lifetime (netsh <c>idleconnectiontimeout</c>). Seconds.</summary>
    IdleConnection = 3,

    /// <summary>Time to receive the complete request headers (netsh <c>headerwaittimeout</c>). Seconds.</summary>
    HeaderWait = 4,

    /// <summary>Minimum response send rate; slower connections are closed. Bytes per second.</summary>
    MinSendBytesPerSecond = 5,
}
