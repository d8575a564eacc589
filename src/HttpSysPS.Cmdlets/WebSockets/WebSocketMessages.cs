using System.Management.Automation;
using System.Net.WebSockets;
using System.Text;
using HttpSysPS.Cmdlets.Hosting;
using HttpSysPS.Engine.Handlers;

namespace HttpSysPS.Cmdlets.WebSockets;

/// <summary>
/// PowerShell values as WebSocket messages, one rule for a script's output, <c>$WebSocket.Send</c> and
/// Send-HttpSysWebSocketMessage: a string (or char) is a text message, a <c>byte[]</c> a binary message, anything else
/// a text message of its JSON (<see cref="OutputBodyConverter.ToJson"/>, the rules of a response body).
/// </summary>
internal static class WebSocketMessages
{
    /// <summary>One value as one message; <paramref name="asBinary"/> sends text and JSON as a binary message of their UTF-8 bytes.</summary>
    public static (byte[] Payload, WebSocketMessageType Type) Encode(object? value, bool asBinary = false)
    {
        var (payload, type) = PowerShellValues.Adapt(value ?? string.Empty) switch
        {
            string text => (Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text),
            char character => (Encoding.UTF8.GetBytes(character.ToString()), WebSocketMessageType.Text),
            byte[] bytes => (bytes, WebSocketMessageType.Binary),
            var other => (OutputBodyConverter.ToJson(other, PowerShellValues.Adapt), WebSocketMessageType.Text),
        };
        return (payload, asBinary ? WebSocketMessageType.Binary : type);
    }

    /// <summary>
    /// A script's pipeline output as messages, one per object (nulls skipped). An output made of single bytes only is
    /// one binary message: PowerShell unrolls a <c>byte[]</c> written without the unary comma into its bytes, as for a
    /// response body.
    /// </summary>
    public static IReadOnlyList<(byte[] Payload, WebSocketMessageType Type)> FromOutput(IEnumerable<PSObject?> output)
    {
        var values = output.Select(o => o is null ? null : PowerShellValues.Adapt(o)).Where(v => v is not null).ToList();
        if (values.Count > 1 && values.All(v => v is byte))
        {
            return [(values.Cast<byte>().ToArray(), WebSocketMessageType.Binary)];
        }

        return values.Select(v => Encode(v)).ToList();
    }
}
