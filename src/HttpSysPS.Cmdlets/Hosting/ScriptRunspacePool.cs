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

    // One lock for the queue, the runspace list and the counts, so Enqueue sees exactly how many runspaces are free or
    // about to be (waiting in TryTake, or still opening) and opens another only when the queue outgrows them.
    private readonly object _gate = new();
    private readonly Queue<ScriptInvocation> _queue = new();
    private readonly InitialSessionState _state;
    private readonly IReadOnlyList<string> _handlerDefinitions;
    private readonly Action<string, Exception?> _reportError;
    private readonly List<ScriptRunspace> _runspaces = [];
    private int _idle;
    private int _opening;
    private int _started;
    private bool _disposed;

    /// <summary>Opens the first runspace; throws what opening it threw.</summary>
    /// <param name="state">The session state of every runspace (modules, -Variable).</param>
    /// <param name="handlerDefinitions">Scripts each defining one of the listener's functions (<see cref="ScriptRunspace.HandlerFunction"/>,
    /// <see cref="ScriptRunspace.MessageFunction"/>) at the global scope; run one by one, so each keeps its own line numbers.</param>
    /// <param name="initializationScript">Dot-sourced once per runspace before its first request; null for none.</param>
    /// <param name="size">The most runspaces (and so scripts running at once).</param>
    /// <param name="reportError">Receives a later runspace's failure to open.</param>
    public ScriptRunspacePool(InitialSessionState state, IReadOnlyList<string> handlerDefinitions, string? initializationScript, int size, Action<string, Exception?> reportError)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _state = state;
        _handlerDefinitions = handlerDefinitions;
        _reportError = reportError;
        InitializationScript = initializationScript;
        Size = size;
        ScriptRunspace first;
        lock (_gate)
        {
            first = AddRunspace();
        }

        try
        {
            first.Opened.GetAwaiter().GetResult();
        }
        catch
        {
            Dispose();
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
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _queue.Enqueue(invocation);
            if (_queue.Count > _idle + _opening && _runspaces.Count < Size)
            {
                // Opening takes a while (module imports): meanwhile whichever runspace is free first takes the request.
                AddRunspace();
            }

            Monitor.Pulse(_gate);
        }
    }

    /// <summary>Closes the pool: queued requests fail, running scripts are stopped, runspaces are closed.</summary>
    public void Dispose()
    {
        ScriptRunspace[] runspaces;
        ScriptInvocation[] waiting;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            runspaces = [.. _runspaces];
            waiting = [.. _queue];
            _queue.Clear();
            Monitor.PulseAll(_gate);
        }

        foreach (var invocation in waiting)
        {
            invocation.Failure = new ObjectDisposedException(nameof(ScriptRunspacePool), "The listener's runspaces were closed.");
            invocation.Complete();
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
        lock (_gate)
        {
            _idle++;
            while (_queue.Count == 0 && !_disposed)
            {
                Monitor.Wait(_gate);
            }

            _idle--;
            return _queue.TryDequeue(out invocation!);
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
            foreach (var definition in _handlerDefinitions)
            {
                shell.AddScript(definition, useLocalScope: false).Invoke();
                shell.Commands.Clear();
            }

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
        lock (_gate)
        {
            _runspaces.Remove(runspace);
            if (!runspace.Opened.IsCompletedSuccessfully)
            {
                _opening--;
            }
        }

        // The first runspace's failure is thrown by the constructor; a later one's has nobody waiting for it.
        if (runspace.Opened.IsFaulted && runspace.Number > 1)
        {
            var error = runspace.Opened.Exception!.InnerException;
            _reportError($"A runspace of the listener could not be opened: {error?.Message}", error);
        }
    }

    /// <summary>For a <see cref="ScriptRunspace"/>'s thread: it is open and about to wait for requests.</summary>
    internal void OnWorkerOpened()
    {
        lock (_gate)
        {
            _opening--;
        }
    }

    // Under _gate (or in the constructor).
    private ScriptRunspace AddRunspace()
    {
        var runspace = new ScriptRunspace(this, ++_started);
        _runspaces.Add(runspace);
        _opening++;
        runspace.Start();
        return runspace;
    }
}
