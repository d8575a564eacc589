using System.Management.Automation;
using System.Net.WebSockets;
using System.Text;
using HttpSysPS.Cmdlets.Hosting;
using HttpSysPS.Engine.Handlers;
using HttpSysPS.Engine.WebSockets;

namespace HttpSysPS.Cmdlets.WebSockets;

/// <summary>
/// The life of one WebSocket of a <c>-WebSocketScriptBlock</c> listener: accept (with the chosen subprotocol), then
/// for each received message run the script on the listener's runspace pool and send its output back, one message at a
/// time, until the client closes, the listener stops or the connection goes. The engine then finishes the close.
/// </summary>
/// <remarks>
/// Messages of one socket are handled strictly in order: the next message is read only when the script for the last one
/// has finished and its output was sent. A script error is reported as the listener's error and the socket stays open
/// (one bad message does not end a chat); the script closes it with <c>$WebSocket.Close()</c> when that is wanted.
/// </remarks>
internal sealed class WebSocketScriptSession
{
    // The receive buffer of a socket; a larger message arrives in several reads and is put together (the listener's
    // MaxMessageSize bounds it: the engine refuses a larger one with 1009).
    private const int ReceiveChunk = 8 * 1024;

    private readonly WebSocketScript _script;
    private readonly Func<ScriptInvocation, string, Task> _run;
    private readonly Action<string, Exception?> _reportError;
    private readonly Action<string> _reportWarning;

    /// <param name="script">The message script and subprotocols.</param>
    /// <param name="run">Runs an invocation on the pool and reports its written errors and warnings (not its failure).</param>
    /// <param name="reportError">Receives script failures.</param>
    /// <param name="reportWarning">Receives output that could not be sent.</param>
    public WebSocketScriptSession(WebSocketScript script, Func<ScriptInvocation, string, Task> run, Action<string, Exception?> reportError, Action<string> reportWarning)
    {
        _script = script;
        _run = run;
        _reportError = reportError;
        _reportWarning = reportWarning;
    }

    /// <summary>Accepts the upgrade and serves the socket until it closes. Handshake errors escape as the engine's rejections (400, 426).</summary>
    public async ValueTask RunAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var subProtocol = _script.ChooseSubProtocol(context.Request.Headers.GetValues("Sec-WebSocket-Protocol"));
        var socket = (HttpSysWebSocket)await context.AcceptWebSocketAsync(subProtocol).ConfigureAwait(false);
        var connection = new HttpSysWebSocketConnection(socket);
        var listener = context.Listener.Name;
        var message = new MemoryStream();
        var buffer = new byte[ReceiveChunk];
        while (await ReceiveAsync(socket, message, buffer, cancellationToken).ConfigureAwait(false) is { } received)
        {
            var invocation = new ScriptInvocation(ScriptRunspace.MessageFunction, [new("Message", received), new("WebSocket", connection)], cancellationToken);
            await _run(invocation, listener).ConfigureAwait(false);
            if (invocation.Failure is ObjectDisposedException)
            {
                // The listener was removed and its runspaces closed: nothing can answer this socket any more.
                return;
            }

            if (invocation.Failure is { } failure)
            {
                var record = (failure as IContainsErrorRecord)?.ErrorRecord;
                _reportError(
                    $"The WebSocket handler of listener '{listener}' failed on socket {socket.Id}: {record?.ToString() ?? failure.Message}",
                    record is null ? failure : new ScriptHandlerException(record));
                continue;
            }

            if (!await SendOutputAsync(connection, listener, invocation.Output, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    /// <summary>The next whole message (string for text, byte[] for binary), or null when the socket is closing or gone.</summary>
    private static async Task<object?> ReceiveAsync(HttpSysWebSocket socket, MemoryStream message, byte[] buffer, CancellationToken cancellationToken)
    {
        message.SetLength(0);
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    // The BCL checked the text's UTF-8 (1007 otherwise), so the decoding cannot fail.
                    return result.MessageType == WebSocketMessageType.Text
                        ? Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length)
                        : message.ToArray();
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection went (reset, protocol error the BCL answered with a close, the handler's abort).
        }

        return null;
    }

    /// <summary>Sends each output object as one message; false when the socket can no longer send.</summary>
    private async Task<bool> SendOutputAsync(HttpSysWebSocketConnection connection, string listener, IList<PSObject> output, CancellationToken cancellationToken)
    {
        IReadOnlyList<(byte[] Payload, WebSocketMessageType Type)> messages;
        try
        {
            messages = WebSocketMessages.FromOutput(output);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or System.Text.Json.JsonException)
        {
            _reportError($"The WebSocket handler of listener '{listener}' wrote output that cannot be sent on socket {connection.Id}: {e.Message}", e);
            return true;
        }

        for (var i = 0; i < messages.Count; i++)
        {
            try
            {
                await connection.SendAsync(messages[i].Payload, messages[i].Type, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
            {
                // The script closed the socket, or the client or the listener did meanwhile.
                if (connection.State != WebSocketState.Closed)
                {
                    _reportWarning($"Listener '{listener}': socket {connection.Id} is {connection.State}, so {messages.Count - i} message(s) of its handler's output were not sent.");
                }

                return false;
            }
        }

        return true;
    }
}
