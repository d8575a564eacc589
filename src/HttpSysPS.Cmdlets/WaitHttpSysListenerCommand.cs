using System.Management.Automation;
using HttpSysPS.Cmdlets.Hosting;
using HttpSysPS.Engine.Hosting;

namespace HttpSysPS.Cmdlets;

/// <summary>
/// Wait-HttpSysListener: blocks until the listeners stop (Stop/Remove-HttpSysListener from elsewhere, or module removal)
/// or Ctrl+C, writing their errors and warnings as they happen, and with -Verbose a line per request.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "HttpSysListener")]
[OutputType(typeof(HttpSysListenerInfo))]
public sealed class WaitHttpSysListenerCommand : ListenerCmdlet
{
    private readonly List<HostedListener> _listeners = [];

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => _listeners.AddRange(Resolve(Name).Where(l => !_listeners.Contains(l)));

    protected override void EndProcessing()
    {
        var requestLines = WantsVerbose() ? _listeners.Select(l => l.Events.WatchRequests()).ToList() : [];
        var dropped = _listeners.ToDictionary(l => l, l => l.Events.Dropped);
        try
        {
            var stopped = Task.WhenAll(_listeners.Select(l => l.Group.WhenStopped));
            while (!stopped.IsCompleted)
            {
                WriteEvents(dropped);
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
                var waits = _listeners.Select(l => l.Events.WaitToReadAsync(wake.Token).AsTask()).Append(stopped).ToArray();
                Task.WaitAny(waits, Cancellation);
                wake.Cancel();
            }

            WriteEvents(dropped);
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            // Ctrl+C ends the wait; the listeners keep running until stopped or removed.
            return;
        }
        finally
        {
            requestLines.ForEach(watch => watch.Dispose());
        }

        if (PassThru)
        {
            WriteObject(_listeners.Select(l => l.ToInfo()), enumerateCollection: true);
        }
    }

    // Verbose output is wanted with -Verbose or $VerbosePreference = 'Continue' (the buffers only keep request lines then).
    private bool WantsVerbose() =>
        MyInvocation.BoundParameters.TryGetValue("Verbose", out var verbose) ? ((SwitchParameter)verbose).IsPresent
        : GetVariableValue("VerbosePreference") is ActionPreference preference && preference != ActionPreference.SilentlyContinue && preference != ActionPreference.Ignore;

    private void WriteEvents(Dictionary<HostedListener, long> dropped)
    {
        foreach (var listener in _listeners)
        {
            while (listener.Events.TryRead(out var item))
            {
                switch (item.Kind)
                {
                    case ListenerEventKind.Request:
                        WriteVerbose($"[{item.Listener}] {item.Message}");
                        break;
                    case ListenerEventKind.Warning:
                        WriteWarning($"[{item.Listener}] {item.Message}");
                        break;
                    default:
                        WriteError(ErrorRecordFactory.ForListenerError(item.Listener, item.Message, item.Exception));
                        break;
                }
            }

            if (listener.Events.Dropped is var now && now > dropped[listener])
            {
                WriteWarning($"[{listener.Name}] {now - dropped[listener]} event(s) were dropped: at most {listener.Events.Capacity} are kept between reads.");
                dropped[listener] = now;
            }
        }
    }
}
