namespace HttpSysPS.Engine.Connections;

/// <summary>Test hook: lets a test await a connection reaching a phase before it moves a fake clock.</summary>
internal interface IConnectionObserver
{
    void PhaseChanged(long connectionId, ConnectionPhase phase);
}
