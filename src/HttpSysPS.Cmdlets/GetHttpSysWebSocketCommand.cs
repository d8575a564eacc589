using System.Management.Automation;
using HttpSysPS.Cmdlets.WebSockets;

namespace HttpSysPS.Cmdlets;

/// <summary>Get-HttpSysWebSocket: the open WebSockets of the session's listeners, whatever handler accepted them.</summary>
[Cmdlet(VerbsCommon.Get, "HttpSysWebSocket")]
[OutputType(typeof(HttpSysWebSocketConnection))]
public sealed class GetHttpSysWebSocketCommand : ListenerCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public ulong[]? Id { get; set; }

    protected override void ProcessRecord() => WriteObject(ResolveWebSockets(Name, Id), enumerateCollection: true);
}
