using System.Net;
using HttpSysPS.Engine.Handlers;

namespace HttpSysPS.Engine.WebSockets;

/// <summary>What the upgrade request said, kept for the socket's lifetime (the request object itself is reused once the handler returns).</summary>
public sealed class WebSocketUpgradeRequest
{
    internal WebSocketUpgradeRequest(Request request)
    {
        RawUrl = request.RawUrl;
        Path = request.Path;
        QueryString = request.QueryString;
        Host = request.Host;
        Headers = request.Headers.Select(h => new KeyValuePair<string, string>(h.Key, h.Value)).ToArray();
        RemoteEndPoint = request.RemoteEndPoint;
        LocalEndPoint = request.LocalEndPoint;
        IsSecure = request.IsSecure;
    }

    /// <summary>The request-target as sent.</summary>
    public string RawUrl { get; }

    /// <summary>The decoded, canonical path.</summary>
    public string Path { get; }

    /// <summary>The query string without the <c>?</c>.</summary>
    public string QueryString { get; }

    /// <summary>The Host header.</summary>
    public string Host { get; }

    /// <summary>The request's header fields, in order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The client's address.</summary>
    public EndPoint? RemoteEndPoint { get; }

    /// <summary>The server's address the client connected to.</summary>
    public EndPoint? LocalEndPoint { get; }

    /// <summary>True over TLS (wss).</summary>
    public bool IsSecure { get; }

    /// <summary>The value of the first header named <paramref name="name"/> (case-insensitive), or null.</summary>
    public string? GetHeader(string name) =>
        Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
}
