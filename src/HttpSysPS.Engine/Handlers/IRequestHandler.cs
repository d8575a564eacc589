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
    /// <summary>Handles one request. <paramref name="cancellationToken"/> fires when the client disconnects or the server aborts.</summary>
    ValueTask HandleAsync(RequestContext context, CancellationToken cancellationToken);
}
