namespace HttpSysPS.Engine.Timeouts;

/// <summary>Which HTTP.sys timer closed a connection. The names are HTTP.sys's httperr reasons.</summary>
public enum TimeoutReason
{
    /// <summary>No timer is armed.</summary>
    None = 0,

    /// <summary>An idle keep-alive (or fresh) connection sent nothing (<c>Timer_ConnectionIdle</c>).</summary>
    IdleConnection,

    /// <summary>Request headers were not complete in time (<c>Timer_HeaderWait</c>).</summary>
    HeaderWait,

    /// <summary>Too long between two pieces of the request body (<c>Timer_EntityBody</c>).</summary>
    EntityBody,

    /// <summary>Draining the unread body after the response took too long.</summary>
    DrainEntityBody,

    /// <summary>The response went out slower than MinSendBytesPerSecond (<c>Timer_MinBytesPerSecond</c>).</summary>
    MinSendRate,

    /// <summary>An upgraded WebSocket's client sent no frame within its listener's WebSocket IdleTimeout (<c>Timer_WebSocketIdle</c>).</summary>
    WebSocketIdle,
}
