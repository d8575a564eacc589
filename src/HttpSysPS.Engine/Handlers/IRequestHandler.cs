namespace HttpSysPS.Engine.Handlers;

/// <summary>
/// Application code behind a URL group: a compiled handler, the static-file handler, or the PowerShell scriptblock adapter.
/// </summary>
/// <remarks>
/// Called once per request, after routing and after the request left the request queue. Throwing before the response
/// has started produces an empty 500; throwing after it started aborts the connection. The context object is reused
/// for the next request on the connection once the returned task completes: do not keep it.
/// </remarks>
public interface IRequestHandler
{
    /// <summary>
    /// Handles one request. <paramref name="cancellationToken"/> fires when the server aborts the connection (a timer,
    /// a stop past its grace period). A client that disconnects is noticed when the handler reads the body or writes
    /// (the read or write throws <see cref="IOException"/>); the server does not read ahead while the handler runs.
    /// </summary>
    ValueTask HandleAsync(RequestContext context, CancellationToken cancellationToken);
}
