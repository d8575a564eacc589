namespace HttpSysPS.Engine.Requests;

/// <summary>What a request's handler may do to leave HTTP (a WebSocket accept), as the lifecycle offers it.</summary>
internal interface IRequestUpgrade
{
    /// <summary>True while the request may still switch protocols (see <see cref="IRequestProtocol.CanUpgrade"/>).</summary>
    bool CanUpgrade { get; }

    /// <summary>The server's clock (close and idle timers run on it).</summary>
    TimeProvider Time { get; }

    /// <summary>
    /// Writes the 101 (sent at the stream's first flush) and gives the connection's bytes to the caller. The request
    /// leaves the request queue then (its handler slot is free for HTTP requests), but stays in flight for the
    /// listener's stop until the handler returns.
    /// </summary>
    UpgradedStream Upgrade(TimeSpan? idleTimeout);

    /// <summary>Drops the connection now (a peer that never answered a close).</summary>
    void Abort();
}
