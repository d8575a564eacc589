using System.Management.Automation;
using HttpSysPS.Cmdlets.Hosting;

namespace HttpSysPS.Cmdlets;

/// <summary>Start-HttpSysListener: registers the listener's URL prefixes and opens their ports.</summary>
[Cmdlet(VerbsLifecycle.Start, "HttpSysListener", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(HttpSysListenerInfo))]
public sealed class StartHttpSysListenerCommand : ListenerCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var listener in Resolve(Name))
        {
            if (ShouldProcess(listener.Name, "Start listener"))
            {
                Invoke(listener.Name, () =>
                {
                    listener.Group.StartAsync(Cancellation).GetAwaiter().GetResult();
                    if (PassThru)
                    {
                        WriteObject(listener.ToInfo());
                    }
                });
            }
        }
    }
}
