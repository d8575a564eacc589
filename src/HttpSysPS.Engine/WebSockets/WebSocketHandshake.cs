using System.Security.Cryptography;
using System.Text;
using HttpSysPS.Engine.Handlers;
using HttpSysPS.Engine.Http1;

namespace HttpSysPS.Engine.WebSockets;

/// <summary>The server side of the RFC 6455 §4.2 opening handshake: what asks for an upgrade, what is a valid ask, and the answer's headers.</summary>
internal static class WebSocketHandshake
{
    /// <summary>RFC 6455 §1.3: the GUID appended to the key before hashing.</summary>
    private const string KeyGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>True for a request that asks to become a WebSocket: GET over HTTP/1.1 with <c>Connection: upgrade</c> and <c>Upgrade: websocket</c>.</summary>
    public static bool IsUpgradeRequest(Request request) =>
        request.Method == "GET" &&
        request.Protocol == "HTTP/1.1" &&
        HasToken(request.Headers.GetValues("Connection"), "upgrade") &&
        HasToken(request.Headers.GetValues("Upgrade"), "websocket");

    /// <summary>
    /// The rejection for an upgrade request that is not a valid handshake, or null: one <c>Sec-WebSocket-Key</c> that is
    /// 16 bytes in base64 and no body (400), then <c>Sec-WebSocket-Version: 13</c> (426).
    /// </summary>
    public static RequestRejection? Check(Request request)
    {
        var keys = request.Headers.GetValues("Sec-WebSocket-Key");
        if (keys.Count != 1 || !IsValidKey(keys[0]) || request.HasBody)
        {
            return RequestRejection.WebSocketBadHandshake;
        }

        var versions = request.Headers.GetValues("Sec-WebSocket-Version");
        if (versions.Count != 1 || versions[0].Trim() != "13")
        {
            return RequestRejection.WebSocketVersion;
        }

        return null;
    }

    /// <summary>The <c>Sec-WebSocket-Accept</c> value for a client's key: base64(SHA-1(key + GUID)).</summary>
    public static string AcceptValue(string key)
    {
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(Encoding.ASCII.GetBytes(key.Trim() + KeyGuid), hash);
        return Convert.ToBase64String(hash);
    }

    /// <summary>The subprotocols the client offered, in its order of preference (<c>Sec-WebSocket-Protocol</c>, comma-separated, possibly repeated).</summary>
    public static IReadOnlyList<string> OfferedSubProtocols(Request request)
    {
        var offered = new List<string>();
        foreach (var header in request.Headers.GetValues("Sec-WebSocket-Protocol"))
        {
            foreach (var item in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                offered.Add(item);
            }
        }

        return offered;
    }

    private static bool IsValidKey(string key)
    {
        Span<byte> decoded = stackalloc byte[18];
        return Convert.TryFromBase64String(key.Trim(), decoded, out var written) && written == 16;
    }

    private static bool HasToken(IReadOnlyList<string> values, string token)
    {
        foreach (var value in values)
        {
            foreach (var item in value.Split(',', StringSplitOptions.TrimEntries))
            {
                if (item.Equals(token, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
