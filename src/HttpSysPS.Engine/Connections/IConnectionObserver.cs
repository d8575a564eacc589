namespace HttpSysPS.Engine.Connections;

/// <summary>Test hook: lets a test await a connection reaching a phase before it moves a fake clock.</summary>
internal interface IConnectionObserver
{
    void PhaseChanged(long connectionId, ConnectionPhase phase);

    /// <summary>The connection waits for its next request with a zero-byte read: from now on the heartbeat may park it.</summary>
    void WaitingForData(long connectionId)
    {
    }

    /// <summary>The idle connection gave its request state back (<see cref="IdleParking"/>).</summary>
    void Parked(long connectionId)
    {
    }
}
