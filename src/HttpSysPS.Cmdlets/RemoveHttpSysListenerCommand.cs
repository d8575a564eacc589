using System.Management.Automation;
using HttpSysPS.Cmdlets.Hosting;

namespace HttpSysPS.Cmdlets;

/// <summary>Remove-HttpSysListener: stops the listener (graceful unless -Force), removes it and closes its runspace pool.</summary>
[Cmdlet(VerbsCommon.Remove, "HttpSysListener", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveHttpSysListenerCommand : ListenerCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int Timeout { get; set; } = StopHttpSysListenerCommand.DefaultTimeoutSeconds;

    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var listener in Resolve(Name))
        {
            if (ShouldProcess(listener.Name, "Remove listener"))
            {
                var grace = Force ? TimeSpan.Zero : TimeSpan.FromSeconds(Timeout);
                Invoke(listener.Name, () => ListenerRegistry.RemoveAsync(listener, grace, Cancellation).GetAwaiter().GetResult());
            }
        }
    }
}
