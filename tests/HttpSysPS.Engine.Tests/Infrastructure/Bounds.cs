namespace HttpSysPS.Engine.Tests.Infrastructure;

/// <summary>
/// Upper bounds on waits, so a broken engine fails a test instead of hanging the run. They never pace a test:
/// every wait completes as soon as the awaited event happens.
/// </summary>
internal static class Bounds
{
    /// <summary>Longest a test waits for any one network event or signal.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>Bounds a task by <see cref="Wait"/>.</summary>
    public static Task<T> Bounded<T>(this Task<T> task) => task.WaitAsync(Wait);

    /// <summary>Bounds a task by <see cref="Wait"/>.</summary>
    public static Task Bounded(this Task task) => task.WaitAsync(Wait);

    /// <summary>Bounds a value task by <see cref="Wait"/>.</summary>
    public static Task<T> Bounded<T>(this ValueTask<T> task) => task.AsTask().WaitAsync(Wait);
}
