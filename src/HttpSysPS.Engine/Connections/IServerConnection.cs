namespace HttpSysPS.Engine.Connections;

/// <summary>What the <see cref="ConnectionManager"/> needs of a connection, whatever its protocol.</summary>
internal interface IServerConnection
{
    long Id { get; }

    /// <summary>Heartbeat: closes the connection when its one deadline has passed. Must not run user code inline.</summary>
    void CheckDeadline(long now);

    /// <summary>Closes the connection now, without an answer.</summary>
    void Abort();

    /// <summary>A listener stopped: abort its requests (<paramref name="abort"/>), or close after the current response.</summary>
    void OnUrlGroupStopped(UrlGroup group, bool abort);

    /// <summary>The timers changed live: re-arm the current deadline with the new values.</summary>
    void OnTimersChanged();

    /// <summary>The listening socket this connection came from closed: close at the next idle point.</summary>
    void OnEndpointClosed(ListenEndpoint endpoint);
}
