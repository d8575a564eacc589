using HttpSysPS.Engine.Caching;
using HttpSysPS.Engine.Handlers;
using HttpSysPS.Engine.Http1;
using HttpSysPS.Engine.Queues;
using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Engine.Requests;

/// <summary>
/// What a <see cref="RequestLifecycle"/> needs from the protocol that carries its request (HTTP/1.1 now; HTTP/2
/// streams later): where the request arrived, the connection-level decisions, and the protocol's own framing of
/// error pages, cached responses and the final commit. Everything else of a request is protocol-neutral.
/// </summary>
internal interface IRequestProtocol
{
    /// <summary>Routes the parsed request with the prefix table (the protocol knows the endpoint it arrived on).</summary>
    RouteResult<UrlGroup> Route(PrefixTable<UrlGroup> prefixes, Request request);

    /// <summary>The scheme of the endpoint the request arrived on (http or https).</summary>
    string Scheme { get; }

    /// <summary>The port of the endpoint the request arrived on (0 for a Unix socket).</summary>
    int Port { get; }

    /// <summary>Whether the connection may serve another request after this one; the lifecycle may turn it off.</summary>
    bool KeepAlive { get; set; }

    /// <summary>True when the request is HEAD (no body goes out).</summary>
    bool IsHead { get; }

    /// <summary>The connection's abort signal, handed to handlers.</summary>
    CancellationToken Aborted { get; }

    /// <summary>True once the connection was aborted.</summary>
    bool IsAborted { get; }

    /// <summary>Counts the connection on <paramref name="group"/> (its MaxConnections) and applies its timers; false when full.</summary>
    bool TryAttach(UrlGroup group);

    /// <summary>Fills the per-connection parts of the request (endpoints, TLS, body stream) before the handler runs.</summary>
    void PrepareRequest(Request request);

    /// <summary>The request waits in the queue, or runs in the handler: application time, no connection timer.</summary>
    void EnterApplicationTime(bool queued);

    /// <summary>Answers with the server's error page for <paramref name="rejection"/> and closes (or resets, for Basic 503s).</summary>
    ValueTask RejectAsync(RequestRejection rejection, Http503Verbosity verbosity);

    /// <summary>Answers with a cached response.</summary>
    ValueTask WriteCachedAsync(ResponseCacheEntry entry);

    /// <summary>The response writer of the current request.</summary>
    IResponseCommit Commit { get; }

    /// <summary>The connection's authentication state (handshake between legs, connection logon); cleared when it closes.</summary>
    Authentication.ConnectionAuthentication Authentication { get; }

    /// <summary>True on TLS connections (Basic is refused elsewhere unless allowed).</summary>
    bool IsSecure { get; }

    /// <summary>Closes the connection now, without an answer.</summary>
    void Abort();

    /// <summary>True when the current request may switch protocols: HTTP/1.1, no request body, nothing of the response sent.</summary>
    bool CanUpgrade { get; }

    /// <summary>
    /// Writes the response's head as a 101 (it goes out at the stream's first flush) and hands over the connection's
    /// bytes both ways; the HTTP timers stop and, while a read waits, <paramref name="idleTimeout"/> runs instead. The
    /// connection closes when the request ends.
    /// </summary>
    UpgradedStream Upgrade(TimeSpan? idleTimeout);
}
