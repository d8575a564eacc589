namespace HttpSysPS.Engine.Connections;

/// <summary>
/// Who owns a waiting connection's request state. An idle keep-alive connection waits for its next request with a
/// zero-byte read, holding no receive buffer, but keeps its request state (about 1.6 KiB) so a busy client pays nothing
/// per request. Once it has been idle for more than a heartbeat, the heartbeat takes that state away (parks it); the
/// connection builds a new one when the client speaks again. Neither side blocks the other: the heartbeat only parks a
/// connection that is still waiting, and a connection that wakes while the heartbeat is parking it waits the few
/// instructions that takes.
/// </summary>
/// <remarks>A mutable struct: held in a field of its connection and never copied.</remarks>
internal struct IdleParking
{
    private const int Busy = 0;
    private const int Waiting = 1;
    private const int Parking = 2;
    private const int Parked = 3;

    private int _state;

    /// <summary>The connection: it starts waiting for the client, its request state idle.</summary>
    public void EnterWait() => Volatile.Write(ref _state, Waiting);

    /// <summary>The connection: the client spoke. If the heartbeat is parking it right now, waits until it is done.</summary>
    public void ExitWait()
    {
        var spin = default(SpinWait);
        while (Interlocked.CompareExchange(ref _state, Busy, Waiting) == Parking)
        {
            spin.SpinOnce();
        }

        Volatile.Write(ref _state, Busy);
    }

    /// <summary>The heartbeat: true when it may take the waiting connection's request state now; call <see cref="EndPark"/> after.</summary>
    public bool TryBeginPark() => Interlocked.CompareExchange(ref _state, Parking, Waiting) == Waiting;

    /// <summary>The heartbeat: the request state is gone.</summary>
    public void EndPark() => Volatile.Write(ref _state, Parked);
}
