namespace HttpSysPS.Engine.Timeouts;

/// <summary>The httperr log names of the timers (spec §6.4).</summary>
public static class TimeoutReasonNames
{
    /// <summary>e.g. <c>Timer_HeaderWait</c>.</summary>
    public static string LogName(this TimeoutReason reason) => reason switch
    {
        TimeoutReason.IdleConnection => "Timer_ConnectionIdle",
        TimeoutReason.HeaderWait => "Timer_HeaderWait",
        TimeoutReason.EntityBody => "Timer_EntityBody",
        TimeoutReason.DrainEntityBody => "Timer_DrainEntityBody",
        TimeoutReason.MinSendRate => "Timer_MinBytesPerSecond",
        TimeoutReason.WebSocketIdle => "Timer_WebSocketIdle",
        _ => "-",
    };
}
