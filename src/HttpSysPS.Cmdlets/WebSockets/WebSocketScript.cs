using System.Management.Automation;

namespace HttpSysPS.Cmdlets.WebSockets;

/// <summary>
/// What <c>New-HttpSysListener -WebSocketScriptBlock</c> gives a listener: the script run for each received message,
/// and the subprotocols the server speaks (<c>-WebSocketSubProtocol</c>), in the server's order of preference.
/// </summary>
/// <param name="MessageScript">Runs once per received message with <c>$Message</c> and <c>$WebSocket</c>.</param>
/// <param name="SubProtocols">The subprotocols the server speaks, preferred first; empty = none is ever chosen.</param>
public sealed record WebSocketScript(ScriptBlock MessageScript, IReadOnlyList<string> SubProtocols)
{
    /// <summary>
    /// The subprotocol to answer: the first of <see cref="SubProtocols"/> the client offered in
    /// <c>Sec-WebSocket-Protocol</c> (RFC 6455 §4.2.2: the server picks one of the client's, or none). The server's order
    /// wins over the client's, as the server knows what it prefers; null when there is no match, and the upgrade then
    /// goes on without a subprotocol (a client that insists on one closes the connection itself).
    /// </summary>
    public string? ChooseSubProtocol(IEnumerable<string> offeredHeaders)
    {
        var offered = offeredHeaders
            .SelectMany(h => h.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToHashSet(StringComparer.Ordinal);
        return SubProtocols.FirstOrDefault(offered.Contains);
    }
}
