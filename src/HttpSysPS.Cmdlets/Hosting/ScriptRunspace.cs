using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace HttpSysPS.Cmdlets.Hosting;

/// <summary>
/// One runspace of a <see cref="ScriptRunspacePool"/> with the one thread that ever runs it, and the one
/// <see cref="PowerShell"/> instance reused for every request it serves.
/// </summary>
/// <remarks>
/// <para>Why not <see cref="RunspacePool"/>: per request it costs a new PowerShell instance, a parse of the script text
/// (or a cache lookup keyed by it) and a dispatch to the pool's thread, and its <c>BeginInvoke</c> of a command list
/// with <c>AddStatement</c> never completes on PowerShell 7.6 (the -InitializationScript hang). Here the handler is
/// compiled once per runspace, as the global function <see cref="HandlerFunction"/>, and each request is one command
/// invocation on a thread that does nothing else (so the runspace runs with <see cref="PSThreadOptions.UseCurrentThread"/>
/// and a script that sleeps never blocks a thread-pool thread the engine needs for I/O).</para>
/// <para>Calling a function gives each request its own scope below the global one: a request's variables do not leak
/// into the next, while <c>$global:</c> state and the initialization script's definitions (dot-sourced at the global
/// scope before the first request) stay for the runspace's life.</para>
/// </remarks>
internal sealed class ScriptRunspace
{
    /// <summary>The global function each runspace defines from the listener's -ScriptBlock.</summary>
    public const string HandlerFunction = "__HttpSysPS_Handler";

    /// <summary>The global function each runspace defines from the listener's -WebSocketScriptBlock.</summary>
    public const string MessageFunction = "__HttpSysPS_WebSocketMessage";

    // PowerShell's own pipeline threads get 10 MB: deep recursion in scripts needs more than the default 1 MB.
    private const int StackSize = 10_000_000;

    private readonly ScriptRunspacePool _pool;
    private readonly Thread _thread;
    private readonly object _gate = new();
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PowerShell? _shell;
    private ScriptInvocation? _current;
    private bool _initialized;

    public ScriptRunspace(ScriptRunspacePool pool, int number)
    {
        _pool = pool;
        Number = number;
        _thread = new Thread(Run, StackSize) { IsBackground = true, Name = $"HttpSysPS runspace {number}" };
    }

    /// <summary>1 for the pool's first runspace, counting up.</summary>
    public int Number { get; }

    /// <summary>Finishes when the runspace is open; faults with the reason it could not open.</summary>
    public Task Opened => _opened.Task;

    /// <summary>Starts the thread, which opens the runspace and then serves the pool's queue until it completes.</summary>
    public void Start() => _thread.Start();

    /// <summary>Waits up to <paramref name="timeout"/> for the thread to close its runspace and end.</summary>
    public bool Join(TimeSpan timeout) => _thread.Join(timeout);

    /// <summary>Stops the script running for <paramref name="invocation"/>, if it still is.</summary>
    public void Stop(ScriptInvocation invocation)
    {
        lock (_gate)
        {
            if (ReferenceEquals(_current, invocation))
            {
                // Asynchronous: called from the engine's cancellation (or Dispose), which must not wait for the script.
                BeginStop();
            }
        }
    }

    /// <summary>Stops whatever script is running now (the pool is closing).</summary>
    public void StopCurrent()
    {
        lock (_gate)
        {
            if (_current is not null)
            {
                BeginStop();
            }
        }
    }

    // Under _gate. Runs inside CancellationTokenSource.Cancel on the engine's side: must never throw.
    private void BeginStop()
    {
        try
        {
            _shell?.BeginStop(null, null);
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException or RuntimeException)
        {
            // Not running yet (the request checks its cancellation before it starts) or already finished.
        }
    }

    private void Run()
    {
        Runspace runspace;
        try
        {
            runspace = _pool.OpenRunspace();
        }
        catch (Exception e)
        {
            _opened.TrySetException(e);
            _pool.OnWorkerExited(this);
            return;
        }

        try
        {
            using var shell = PowerShell.Create();
            shell.Runspace = runspace;
            lock (_gate)
            {
                _shell = shell;
            }

            _pool.OnWorkerOpened();
            _opened.TrySetResult();
            while (_pool.TryTake(out var invocation))
            {
                Execute(shell, invocation);
            }
        }
        finally
        {
            lock (_gate)
            {
                _shell = null;
            }

            runspace.Dispose();
            _pool.OnWorkerExited(this);
        }
    }

    private void Execute(PowerShell shell, ScriptInvocation invocation)
    {
        lock (_gate)
        {
            _current = invocation;
        }

        try
        {
            // Registered inside the _current window, so a cancellation that fires now stops this script and no other.
            using var registration = invocation.Cancellation.UnsafeRegister(static state =>
            {
                var (runspace, target) = ((ScriptRunspace, ScriptInvocation))state!;
                runspace.Stop(target);
            }, (this, invocation));
            if (invocation.Cancellation.IsCancellationRequested)
            {
                invocation.Failure = new OperationCanceledException(invocation.Cancellation);
                return;
            }

            if (!_initialized && _pool.InitializationScript is { } initialization)
            {
                // Dot-sourced at the global scope (useLocalScope: false) so its functions and variables stay. A failure
                // fails this request with the initialization's error; the next request on this runspace tries again.
                shell.AddScript(initialization, useLocalScope: false);
                Run(shell);
            }

            _initialized = true;
            shell.AddCommand(invocation.Function);
            foreach (var (name, value) in invocation.Parameters)
            {
                shell.AddParameter(name, value);
            }

            invocation.Output = Run(shell);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // RuntimeException and its kin (throw, -ErrorAction Stop, a stopped pipeline), or a closed runspace.
            invocation.Failure = e;
        }
        finally
        {
            lock (_gate)
            {
                _current = null;
            }

            invocation.Errors = shell.Streams.Error.ToArray();
            invocation.Warnings = shell.Streams.Warning.Select(w => w.Message).ToArray();
            shell.Streams.ClearStreams();
            shell.Commands.Clear();
            invocation.Complete();
        }
    }

    private static System.Collections.ObjectModel.Collection<PSObject> Run(PowerShell shell)
    {
        try
        {
            return shell.Invoke();
        }
        finally
        {
            shell.Commands.Clear();
        }
    }
}
