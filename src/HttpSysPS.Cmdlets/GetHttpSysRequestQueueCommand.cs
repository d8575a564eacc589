using System.Management.Automation;
using HttpSysPS.Engine.Queues;

namespace HttpSysPS.Cmdlets;

/// <summary>Get-HttpSysRequestQueue: live counters of the listeners' request queues.</summary>
[Cmdlet(VerbsCommon.Get, "HttpSysRequestQueue")]
[OutputType(typeof(RequestQueueStatistics))]
public sealed class GetHttpSysRequestQueueCommand : ListenerCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        foreach (var listener in Resolve(Name))
        {
            WriteObject(listener.Group.RequestQueue.GetStatistics());
        }
    }
}
