using System.Collections.Concurrent;
using System.Management.Automation.Runspaces;

namespace HttpSysPS.Cmdlets.Hosting;

/// <summary>
/// The runspaces of one scriptblock listener: up to <see cref="Size"/> <see cref="ScriptRunspace"/>s sharing one queue
/// of <see cref="ScriptInvocation"/>s. The first runspace opens with the pool (so a module that cannot be imported fails
/// New-HttpSysListener, not the first request); the others open when a request finds every open runspace busy.
/// </summary>
/// <remarks>
/// The queue is unbounded only in form: the listener's MaxConcurrentRequests equals <see cref="Size"/>, so the engine's
/// bounded request queue holds the waiting requests and at most <see cref="Size"/> ever reach this one.
/// </remarks>
internal sealed class ScriptRunspacePool : IDisposable
{
    // Dispose waits this long for scripts to end after their pipelines were told to stop; a script blocked in a .NET
    // call cannot be stopped, and its (background) thread is then left to finish alone.
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(10);

    private readonly BlockingCollection<ScriptInvocation> _queue = new(new ConcurrentQueue<ScriptInvocation>());
    private readonly InitialSessionState _state;
    private readonly string _handlerDefinition;
    private readonly Action<string, Exception?> _reportError;
    private readonly List<ScriptRunspace> _runspaces = [];
    private int _idle;
    private int _started;
    private bool _disposed;

    /// <summary>Opens the first runspace; throws what opening it threw.</summary>
    /// <param name="state">The session state of every runspace (modules, -Variable).</param>
    /// <param name="handlerDefinition">Script defining <see cref="ScriptRunspace.HandlerFunction"/> at the global scope.</param>
    /// <param name="initializationScript">Dot-sourced once per runspace before its first request; null for none.</param>
    /// <param name="size">The most runspaces (and so scripts running at once).</param>
    /// <param name="reportError">Receives a later runspace's failure to open.</param>
    public ScriptRunspacePool(InitialSessionState state, string handlerDefinition, string? initializationScript, int size, Action<string, Exception?> reportError)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _state = state;
        _handlerDefinition = handlerDefinition;
        _reportError = reportError;
        InitializationScript = initializationScript;
        Size = size;
        var first = AddRunspace()!;
        try
        {
            first.Opened.GetAwaiter().GetResult();
        }
        catch
        {
            _queue.CompleteAdding();
            _queue.Dispose();
            throw;
        }
    }

    /// <summary>The most runspaces.</summary>
    public int Size { get; }

    /// <summary>The -InitializationScript text, or null.</summary>
    public string? InitializationScript { get; }

    /// <summary>Queues <paramref name="invocation"/>; its <see cref="ScriptInvocation.Completion"/> says when it has run.</summary>
    /// <exception cref="ObjectDisposedException">The pool is closed (the listener was removed).</exception>
    public void Enqueue(ScriptInvocation invocation)
    {
        lock (_runspaces)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _queue.Add(invocation);
            if (Volatile.Read(ref _idle) == 0 && _runspaces.Count < Size)
            {
                // Opening takes a while (module imports): meanwhile whichever runspace is free first takes the request.
                AddRunspace();
            }
        }
    }

    /// <summary>Closes the pool: queued requests fail, running scripts are stopped, runspaces are closed.</summary>
    public void Dispose()
    {
        ScriptRunspace[] runspaces;
        lock (_runspaces)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _queue.CompleteAdding();
            runspaces = [.. _runspaces];
        }

        while (_queue.TryTake(out var waiting))
        {
            waiting.Failure = new ObjectDisposedException(nameof(ScriptRunspacePool), "The listener's runspaces were closed.");
            waiting.Complete();
        }

        foreach (var runspace in runspaces)
        {
            runspace.StopCurrent();
        }

        var deadline = DateTime.UtcNow + CloseWait;
        foreach (var runspace in runspaces)
        {
            var left = deadline - DateTime.UtcNow;
            runspace.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }
    }

    /// <summary>For a <see cref="ScriptRunspace"/>'s thread: the next request, or false when the pool has closed.</summary>
    internal bool TryTake(out ScriptInvocation invocation)
    {
        Interlocked.Increment(ref _idle);
        try
        {
            return _queue.TryTake(out invocation!, Timeout.Infinite);
        }
        catch (ObjectDisposedException)
        {
            invocation = null!;
            return false;
        }
        finally
        {
            Interlocked.Decrement(ref _idle);
        }
    }

    /// <summary>For a <see cref="ScriptRunspace"/>'s thread: a new open runspace with the handler function defined.</summary>
    internal Runspace OpenRunspace()
    {
        var runspace = RunspaceFactory.CreateRunspace(_state);
        runspace.ThreadOptions = PSThreadOptions.UseCurrentThread;
        try
        {
            runspace.Open();
            using var shell = System.Management.Automation.PowerShell.Create();
            shell.Runspace = runspace;
            shell.AddScript(_handlerDefinition, useLocalScope: false).Invoke();
            return runspace;
        }
        catch
        {
            runspace.Dispose();
            throw;
        }
    }

    /// <summary>For a <see cref="ScriptRunspace"/>'s thread: it has ended (closed, or failed to open).</summary>
    internal void OnWorkerExited(ScriptRunspace runspace)
    {
        lock (_runspaces)
        {
            _runspaces.Remove(runspace);
        }

        // The first runspace's failure is thrown by the constructor; a later one's has nobody waiting for it.
        if (runspace.Opened.IsFaulted && runspace.Number > 1)
        {
            var error = runspace.Opened.Exception!.InnerException;
            _reportError($"A runspace of the listener could not be opened: {error?.Message}", error);
        }
    }

    private ScriptRunspace? AddRunspace()
    {
        var runspace = new ScriptRunspace(this, ++_started);
        _runspaces.Add(runspace);
        runspace.Start();
        return runspace;
    }
}
