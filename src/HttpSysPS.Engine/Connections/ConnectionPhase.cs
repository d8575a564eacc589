namespace HttpSysPS.Engine.Connections;

/// <summary>Where a connection is in its request cycle; each phase arms at most one timer.</summary>
internal enum ConnectionPhase
{
    /// <summary>Waiting for the first byte of a request (IdleConnection).</summary>
    Idle,

    /// <summary>Part of a head has arrived (HeaderWait).</summary>
    ReadingHeaders,

    /// <summary>Waiting in the request queue (RequestQueue timer, swept per queue).</summary>
    Queued,

    /// <summary>In the handler (no timer: application time).</summary>
    Executing,

    /// <summary>The handler awaits body bytes (EntityBody).</summary>
    ReadingBody,

    /// <summary>Sending response bytes (MinSendBytesPerSecond).</summary>
    Sending,

    /// <summary>Reading and discarding an unread body after the response (DrainEntityBody).</summary>
    Draining,

    /// <summary>Switched protocols (a WebSocket): no HTTP timer; the WebSocket idle timer while a read waits.</summary>
    Upgraded,

    /// <summary>Closed.</summary>
    Closed,
}
