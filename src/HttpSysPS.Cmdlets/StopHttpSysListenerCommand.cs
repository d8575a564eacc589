using System.Management.Automation;
using HttpSysPS.Cmdlets.Hosting;

namespace HttpSysPS.Cmdlets;

/// <summary>Stop-HttpSysListener: unregisters the prefixes, lets in-flight requests finish within -Timeout, then aborts the rest.</summary>
[Cmdlet(VerbsLifecycle.Stop, "HttpSysListener", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(HttpSysListenerInfo))]
public sealed class StopHttpSysListenerCommand : ListenerCmdlet
{
    /// <summary>Default grace period for in-flight requests, in seconds (our choice; Kestrel's ShutdownTimeout is 30 s too).</summary>
    public const int DefaultTimeoutSeconds = 30;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Timeout { get; set; } = DefaultTimeoutSeconds;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var listener in Resolve(Name))
        {
            if (ShouldProcess(listener.Name, $"Stop listener (in-flight requests get {Timeout} s)"))
            {
                // Ctrl+C ends the grace period: remaining requests are aborted at once.
                Invoke(listener.Name, () =>
                {
                    listener.Group.StopAsync(TimeSpan.FromSeconds(Timeout), Cancellation).GetAwaiter().GetResult();
                    if (PassThru)
                    {
                        WriteObject(listener.ToInfo());
                    }
                });
            }
        }
    }
}
