namespace HttpSysPS.PowerShell.Tests.Infrastructure;

/// <summary>Handed to scripts through -Variable: they call <see cref="Enter"/> and <see cref="Exit"/> around their work, and the test reads the most that were inside at once.</summary>
public sealed class InFlightCounter
{
    private int _current;
    private int _max;

    /// <summary>The most scripts that were between Enter and Exit at once.</summary>
    public int Max => Volatile.Read(ref _max);

    public void Enter()
    {
        var now = Interlocked.Increment(ref _current);
        int seen;
        while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen)
        {
        }
    }

    public void Exit() => Interlocked.Decrement(ref _current);
}
