using System.Collections.ObjectModel;
using System.Management.Automation;

namespace HttpSysPS.Cmdlets.Hosting;

/// <summary>
/// One call of a listener's script handed from the engine's thread to a <see cref="ScriptRunspace"/> (an HTTP request,
/// or a WebSocket message): which of the runspace's global functions to call with which parameters, and what the script
/// left behind (output, errors, warnings, a terminating failure), read by the caller once <see cref="Completion"/> finishes.
/// </summary>
internal sealed class ScriptInvocation
{
    // RunContinuationsAsynchronously: the handler's continuation (converting output, writing the body) must not run on
    // the runspace's thread, which goes straight back to the queue for the next request.
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ScriptInvocation(string function, IReadOnlyList<KeyValuePair<string, object?>> parameters, CancellationToken cancellation)
    {
        Function = function;
        Parameters = parameters;
        Cancellation = cancellation;
    }

    /// <summary>The global function of the runspace to call (one per scriptblock of the listener, see <see cref="ScriptRunspace"/>).</summary>
    public string Function { get; }

    /// <summary>The function's parameters by name ($Context, $Request, $Response; or $Message, $WebSocket).</summary>
    public IReadOnlyList<KeyValuePair<string, object?>> Parameters { get; }

    /// <summary>The engine's abort signal for this request (or the socket's end, for a message).</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>The script's pipeline output.</summary>
    public Collection<PSObject> Output { get; set; } = [];

    /// <summary>Errors written (not thrown) by the initialization script and the handler.</summary>
    public IReadOnlyList<ErrorRecord> Errors { get; set; } = [];

    /// <summary>Warnings written by the initialization script and the handler.</summary>
    public IReadOnlyList<string> Warnings { get; set; } = [];

    /// <summary>The terminating error, or null when the script ran to its end.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Finishes when the script has run (or was never run: see <see cref="Failure"/>).</summary>
    public Task Completion => _done.Task;

    /// <summary>Marks the invocation finished; the results above are complete.</summary>
    public void Complete() => _done.TrySetResult();
}
