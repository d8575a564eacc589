using System.Management.Automation;
using HttpSysPS.Cmdlets.Hosting;

namespace HttpSysPS.Cmdlets;

/// <summary>Get-HttpSysListener: the listeners of this session, with their bound URLs and queue counters.</summary>
[Cmdlet(VerbsCommon.Get, "HttpSysListener")]
[OutputType(typeof(HttpSysListenerInfo))]
public sealed class GetHttpSysListenerCommand : ListenerCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var listener in Resolve(Name))
        {
            WriteObject(listener.ToInfo());
        }
    }
}
