namespace HttpSysPS.PowerShell.Tests.Infrastructure;

/// <summary>
/// Handed to handler scripts through -Variable (values are shared, not copied): scripts call <see cref="Enter"/>, which
/// counts them in and blocks until the test calls <see cref="Release"/>, so a test sees how many run at once without
/// timing anything.
/// </summary>
public sealed class ConcurrencyProbe
{
    private readonly object _gate = new();
    private readonly ManualResetEventSlim _released = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private int _current;

    /// <summary>The most scripts that were inside <see cref="Enter"/> at once.</summary>
    public int Max { get; private set; }

    /// <summary>Scripts that have entered so far.</summary>
    public int Entered { get; private set; }

    /// <summary>Called by a script: counts it in, then waits (at most <paramref name="seconds"/>) for <see cref="Release"/>.</summary>
    public bool Enter(int seconds = 60)
    {
        lock (_gate)
        {
            _current++;
            Entered++;
            Max = Math.Max(Max, _current);
            foreach (var waiter in _waiters.Where(w => Entered >= w.Count))
            {
                waiter.Reached.TrySetResult();
            }
        }

        try
        {
            return _released.Wait(TimeSpan.FromSeconds(seconds));
        }
        finally
        {
            lock (_gate)
            {
                _current--;
            }
        }
    }

    /// <summary>Completes once <paramref name="count"/> scripts have entered.</summary>
    public Task WhenEntered(int count)
    {
        lock (_gate)
        {
            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (Entered >= count)
            {
                reached.SetResult();
            }
            else
            {
                _waiters.Add((count, reached));
            }

            return reached.Task;
        }
    }

    /// <summary>Lets every waiting (and later) script go on.</summary>
    public void Release() => _released.Set();
}
