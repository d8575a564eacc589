using System.Collections.ObjectModel;
using System.Management.Automation;
using HttpSysPS.Engine.Handlers;

namespace HttpSysPS.Cmdlets.Hosting;

/// <summary>
/// One request handed from the engine's thread to a <see cref="ScriptRunspace"/>: what the script needs in, and what it
/// left behind (output, errors, warnings, a terminating failure), read by <see cref="ScriptBlockHandler"/> once
/// <see cref="Completion"/> finishes.
/// </summary>
internal sealed class ScriptInvocation
{
    // RunContinuationsAsynchronously: the handler's continuation (converting output, writing the body) must not run on
    // the runspace's thread, which goes straight back to the queue for the next request.
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ScriptInvocation(RequestContext context, CancellationToken cancellation)
    {
        Context = context;
        Cancellation = cancellation;
    }

    /// <summary>The request the script answers.</summary>
    public RequestContext Context { get; }

    /// <summary>The engine's abort signal for this request.</summary>
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
