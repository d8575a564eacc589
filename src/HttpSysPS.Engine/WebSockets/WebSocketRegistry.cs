using System.Collections.Concurrent;
using System.Net.WebSockets;

namespace HttpSysPS.Engine.WebSockets;

/// <summary>
/// The open WebSockets of one listener (<see cref="UrlGroup.WebSockets"/>): a session lists them, finds one by id, or
/// broadcasts to all of them; a stopping listener sends each a 1001.
/// </summary>
public sealed class WebSocketRegistry
{
    private readonly ConcurrentDictionary<ulong, HttpSysWebSocket> _sockets = new();

    /// <summary>The number of open sockets.</summary>
    public int Count => _sockets.Count;

    /// <summary>The open sockets now, oldest first.</summary>
    public IReadOnlyList<HttpSysWebSocket> GetAll() => _sockets.Values.OrderBy(s => s.Id).ToArray();

    /// <summary>The socket with this id, or null when it is not (or no longer) open.</summary>
    public HttpSysWebSocket? Find(ulong id) => _sockets.TryGetValue(id, out var socket) ? socket : null;

    /// <summary>
    /// Sends one message to every open socket, all at once; a socket that fails or closes meanwhile is skipped (its own
    /// handler sees why). Returns how many sockets were sent the message.
    /// </summary>
    public async Task<int> BroadcastAsync(ReadOnlyMemory<byte> message, WebSocketMessageType messageType, CancellationToken cancellationToken = default)
    {
        var sends = GetAll().Where(s => s.State == WebSocketState.Open).Select(s => SendOneAsync(s, message, messageType, cancellationToken)).ToArray();
        var sent = await Task.WhenAll(sends).ConfigureAwait(false);
        return sent.Count(ok => ok);
    }

    internal void Add(HttpSysWebSocket socket) => _sockets[socket.Id] = socket;

    internal void Remove(HttpSysWebSocket socket) => _sockets.TryRemove(new KeyValuePair<ulong, HttpSysWebSocket>(socket.Id, socket));

    /// <summary>The listener stops: every socket is sent a 1001 (not awaited: the stop waits for the handlers, bounded by its grace).</summary>
    internal void CloseAllForStop()
    {
        foreach (var socket in _sockets.Values)
        {
            _ = socket.CloseForStopAsync();
        }
    }

    private static async Task<bool> SendOneAsync(HttpSysWebSocket socket, ReadOnlyMemory<byte> message, WebSocketMessageType messageType, CancellationToken cancellationToken)
    {
        try
        {
            await socket.SendAsync(message, messageType, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            return false;
        }
    }
}
