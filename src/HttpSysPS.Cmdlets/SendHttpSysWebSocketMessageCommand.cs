using System.Management.Automation;
using HttpSysPS.Cmdlets.WebSockets;

namespace HttpSysPS.Cmdlets;

/// <summary>
/// Send-HttpSysWebSocketMessage: one message to sockets (-WebSocket from the pipeline, or -Id), or to every open socket
/// of listeners (-Name: a broadcast). Strings are text, byte[] binary, other objects JSON text.
/// </summary>
[Cmdlet(VerbsCommunications.Send, "HttpSysWebSocketMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = WebSocketSet)]
[OutputType(typeof(int))]
public sealed class SendHttpSysWebSocketMessageCommand : ListenerCmdlet
{
    private const string WebSocketSet = "WebSocket";
    private const string IdSet = "Id";
    private const string ListenerSet = "Listener";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = WebSocketSet)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet)]
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ListenerSet)]
    [AllowEmptyString]
    public object? Message { get; set; }

    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = WebSocketSet)]
    [ValidateNotNullOrEmpty]
    public HttpSysWebSocketConnection[] WebSocket { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = IdSet)]
    [ValidateNotNullOrEmpty]
    public ulong[] Id { get; set; } = [];

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ListenerSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter]
    public SwitchParameter AsBinary { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (Message is null)
        {
            return;
        }

        var (payload, type) = WebSocketMessages.Encode(Message, AsBinary);
        if (ParameterSetName == ListenerSet)
        {
            foreach (var listener in Resolve(Name))
            {
                if (ShouldProcess(listener.Name, $"Send a {type} message of {payload.Length} bytes to every open WebSocket of the listener ({listener.Group.WebSockets.Count} now)"))
                {
                    Invoke(listener.Name, () => Sent(listener.Group.WebSockets.BroadcastAsync(payload, type, Cancellation).GetAwaiter().GetResult(), listener.Name));
                }
            }

            return;
        }

        foreach (var socket in ParameterSetName == IdSet ? ResolveWebSockets(null, Id) : WebSocket)
        {
            if (ShouldProcess(socket.ToString(), $"Send a {type} message of {payload.Length} bytes"))
            {
                Invoke(socket.Id, () =>
                {
                    socket.SendAsync(payload, type, Cancellation).GetAwaiter().GetResult();
                    Sent(1, $"WebSocket {socket.Id}");
                });
            }
        }
    }

    private void Sent(int sockets, string target)
    {
        WriteVerbose($"Sent the message to {sockets} WebSocket(s) of {target}.");
        if (PassThru)
        {
            WriteObject(sockets);
        }
    }
}
