using System.Management.Automation;
using System.Net.WebSockets;
using HttpSysPS.Cmdlets.WebSockets;

namespace HttpSysPS.Cmdlets;

/// <summary>Close-HttpSysWebSocket: the close handshake with a status and reason, bounded by the listener's WebSocket close timeout.</summary>
[Cmdlet(VerbsCommon.Close, "HttpSysWebSocket", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = WebSocketSet)]
[OutputType(typeof(HttpSysWebSocketConnection))]
public sealed class CloseHttpSysWebSocketCommand : ListenerCmdlet
{
    private const string WebSocketSet = "WebSocket";
    private const string IdSet = "Id";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = WebSocketSet)]
    [ValidateNotNullOrEmpty]
    public HttpSysWebSocketConnection[] WebSocket { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = IdSet)]
    [ValidateNotNullOrEmpty]
    public ulong[] Id { get; set; } = [];

    [Parameter]
    [ValidateRange(1000, 4999)]
    public int Status { get; set; } = (int)WebSocketCloseStatus.NormalClosure;

    [Parameter]
    [ValidateNotNull]
    public string? Reason { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        if (!HttpSysWebSocketConnection.IsSendableCloseStatus(Status))
        {
            ThrowTerminatingError(ErrorRecordFactory.Create(
                new ArgumentOutOfRangeException(nameof(Status), Status, "-Status must be 1000-1003, 1007-1014 or 3000-4999 (RFC 6455 §7.4: 1004-1006 and 1015 are never sent)."), Status));
        }
    }

    protected override void ProcessRecord()
    {
        foreach (var socket in ParameterSetName == IdSet ? ResolveWebSockets(null, Id) : WebSocket)
        {
            if (ShouldProcess(socket.ToString(), $"Close with status {Status}{(Reason is null ? string.Empty : $" ('{Reason}')")}"))
            {
                Invoke(socket.Id, () =>
                {
                    socket.CloseAsync(Status, Reason, Cancellation).GetAwaiter().GetResult();
                    if (PassThru)
                    {
                        WriteObject(socket);
                    }
                });
            }
        }
    }
}
