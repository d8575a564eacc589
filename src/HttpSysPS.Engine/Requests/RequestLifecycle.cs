using HttpSysPS.Engine.Authentication;
using HttpSysPS.Engine.Handlers;
using HttpSysPS.Engine.Http1;
using HttpSysPS.Engine.Logging;
using HttpSysPS.Engine.Queues;
using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Engine.Requests;

/// <summary>
/// One request's way through the server, whatever protocol carried it: route → response cache → request queue →
/// handler → response commit → log. Reused for every request of its connection (or stream).
/// </summary>
internal sealed class RequestLifecycle : IRequestUpgrade
{
    private readonly ServiceContext _service;
    private readonly IRequestProtocol _protocol;
    private UrlGroup? _group;
    private UrlGroup? _routedGroup;
    private string? _route;
    private long _start;
    private UpgradedStream? _upgraded;
    private bool _handlerFailed;

    public RequestLifecycle(ServiceContext service, IRequestProtocol protocol, IResponseSink sink)
    {
        _service = service;
        _protocol = protocol;
        Response = new Response(sink);
        Context = new RequestContext(Request, Response, null!);
        Cache = new ResponseCacheStep(service);
    }

    public Request Request { get; } = new();

    public Response Response { get; }

    public RequestContext Context { get; }

    /// <summary>The response cache's lookup and capture for the current request.</summary>
    public ResponseCacheStep Cache { get; }

    /// <summary>The listener whose handler runs the current request, or null between handlers.</summary>
    public UrlGroup? ExecutingGroup => Volatile.Read(ref _group);

    /// <summary>A new request's head arrived (the log's time-taken starts here).</summary>
    public void Begin()
    {
        _start = _service.Heartbeat.Time.GetTimestamp();
        _routedGroup = null;
        _route = null;
        _upgraded = null;
        _handlerFailed = false;
        Request.Reset(null);
        Response.Reset();
        Context.Reset();
    }

    /// <summary>Routes and runs the parsed request. False when the connection must close now.</summary>
    public ValueTask<bool> RunAsync() => _service.Metrics.CountsActiveRequests ? RunCountedAsync() : RunCoreAsync();

    /// <summary><see cref="RunAsync"/> inside http.server.active_requests (only while a listener collects it).</summary>
    private async ValueTask<bool> RunCountedAsync()
    {
        var method = Request.Method;
        _service.Metrics.RequestStarted(method, _protocol.Scheme);
        try
        {
            return await RunCoreAsync().ConfigureAwait(false);
        }
        finally
        {
            _service.Metrics.RequestEnded(method, _protocol.Scheme);
        }
    }

    private async ValueTask<bool> RunCoreAsync()
    {
        var route = _protocol.Route(_service.Prefixes, Request);
        if (route.Outcome != RouteOutcome.Matched)
        {
            await _protocol.RejectAsync(route.Outcome switch
            {
                RouteOutcome.NotFound => RequestRejection.NotFound,
                RouteOutcome.Unavailable => RequestRejection.Unavailable,
                _ => RequestRejection.InvalidHostname,
            }, _service.Options.Http503Verbosity).ConfigureAwait(false);
            return false;
        }

        var group = route.Target!;
        _routedGroup = group;
        _route = route.Prefix!.FullPrefix;
        if (!_protocol.TryAttach(group))
        {
            await _protocol.RejectAsync(RequestRejection.ConnectionLimit, group.Options.Http503Verbosity).ConfigureAwait(false);
            return false;
        }

        // Authentication before the cache and the queue (HTTP.sys runs handshakes in the driver): handshake legs,
        // failures and refused anonymous requests are answered here.
        if (group.Options.Authentication.IsEnabled)
        {
            var outcome = await AuthenticationStep.RunAsync(group, Request, _protocol.Authentication, _protocol.IsSecure, _protocol.Aborted).ConfigureAwait(false);
            if (!outcome.RunsHandler)
            {
                return await AnswerAuthenticationAsync(group, route.Prefix!, outcome).ConfigureAwait(false);
            }

            if (outcome.User is { } user)
            {
                Request.User = user;
            }

            Response.Challenges = outcome.Challenges;
        }

        // A cache hit is answered here, before the request queue: the handler is not called (HTTP.sys kernel cache).
        if (Cache.TryLookup(group, route.Prefix!, Request, _protocol.Scheme, _protocol.Port, _protocol.IsHead) is { } hit)
        {
            await _protocol.WriteCachedAsync(hit).ConfigureAwait(false);
            Log(hit.StatusCode, _protocol.IsHead ? 0 : hit.Body.Length, null);
            End();
            return _protocol.KeepAlive;
        }

        Prepare(group, route.Prefix!);
        Volatile.Write(ref _group, group);
        group.EnterRequest();
        try
        {
            var admission = group.RequestQueue.TryAdmit(_service.Heartbeat.Now, out var wait);
            if (admission == AdmissionResult.Rejected)
            {
                await _protocol.RejectAsync(group.State == UrlGroupState.Started ? RequestRejection.QueueFull : RequestRejection.Unavailable, group.Options.Http503Verbosity).ConfigureAwait(false);
                return false;
            }

            if (admission == AdmissionResult.Queued)
            {
                _protocol.EnterApplicationTime(queued: true);
                var exit = await wait!.ConfigureAwait(false);
                if (exit != QueueExit.Dequeued)
                {
                    await _protocol.RejectAsync(exit == QueueExit.TimedOut ? RequestRejection.QueueTimeout : RequestRejection.Unavailable, group.Options.Http503Verbosity).ConfigureAwait(false);
                    return false;
                }
            }

            if (!await RunHandlerAsync(group).ConfigureAwait(false))
            {
                return false;
            }
        }
        finally
        {
            if (Context.WebSocket is { } socket)
            {
                // Inside the listener's in-flight count: a stop waits for the close handshake, bounded by its grace.
                await socket.FinishAsync(_handlerFailed).ConfigureAwait(false);
            }

            Volatile.Write(ref _group, null);
            group.ExitRequest();
        }

        if (_upgraded is { } upgraded)
        {
            // The connection left HTTP: what is still queued goes out, the log line tells the session's length and
            // bytes, and the connection closes.
            await upgraded.FlushAsync().ConfigureAwait(false);
            Log(101, upgraded.BytesSent, null);
            End();
            return false;
        }

        return await CompleteAsync(group).ConfigureAwait(false);
    }

    bool IRequestUpgrade.CanUpgrade => _upgraded is null && _protocol.CanUpgrade;

    TimeProvider IRequestUpgrade.Time => _service.Heartbeat.Time;

    UpgradedStream IRequestUpgrade.Upgrade(TimeSpan? idleTimeout)
    {
        var stream = _protocol.Upgrade(idleTimeout);
        _upgraded = stream;
        _group!.RequestQueue.Complete();
        return stream;
    }

    void IRequestUpgrade.Abort() => _protocol.Abort();

    /// <summary>Answers a request the authentication step stopped (401 leg or challenge, 400, 503) without the queue.</summary>
    private async ValueTask<bool> AnswerAuthenticationAsync(UrlGroup group, UrlPrefix prefix, AuthenticationOutcome outcome)
    {
        Cache.Skip();
        Prepare(group, prefix);
        Response.StatusCode = outcome.Status;
        Response.ContentLength = 0;
        Response.Challenges = outcome.Challenges;
        if (outcome.Close)
        {
            _protocol.KeepAlive = false;
        }

        return await CompleteAsync(group, outcome.Reason).ConfigureAwait(false);
    }

    /// <summary>Logs a request the protocol answered itself (an error page before routing, a parse rejection).</summary>
    public void LogRejected(int status, string reason) => Log(status, 0, reason);

    private void Prepare(UrlGroup group, UrlPrefix prefix)
    {
        var request = Request;
        request.MaxRequestBodySize = group.Options.MaxRequestBodySize;
        request.UrlPrefix = prefix;
        request.RequestId = _service.NextRequestId();
        request.AllowSynchronousIO = group.Options.AllowSynchronousIO;
        _protocol.PrepareRequest(request);
        Context.Listener = group;
        Context.RequestAborted = _protocol.Aborted;
        Context.Upgrade = this;
    }

    /// <summary>Runs the handler; its queue slot is released when it returns. False when the connection must close.</summary>
    private async ValueTask<bool> RunHandlerAsync(UrlGroup group)
    {
        _protocol.EnterApplicationTime(queued: false);
        try
        {
            await group.Handler.HandleAsync(Context, _protocol.Aborted).ConfigureAwait(false);
            if (_upgraded is null)
            {
                await _protocol.Commit.WhenWritesCompleteAsync().ConfigureAwait(false);
            }

            return true;
        }
        catch (Exception e) when (!_protocol.IsAborted)
        {
            if (e is not RequestRejectedException || _upgraded is not null)
            {
                _service.Events?.HandlerFailed(group.Name, e);
            }

            if (_upgraded is not null)
            {
                _handlerFailed = true;
                return true;
            }

            return await AnswerFailureAsync(group, e as RequestRejectedException).ConfigureAwait(false);
        }
        finally
        {
            // The rest of the send belongs to the connection (HTTP.sys TransmitFile): a client that reads slowly must
            // not hold one of the listener's handler slots. An upgraded request gave its slot back at the switch.
            if (_upgraded is null)
            {
                group.RequestQueue.Complete();
            }
        }
    }

    /// <summary>After a handler failed: an empty 500 (or the rejection's page) when nothing went out, else an abort.</summary>
    private async ValueTask<bool> AnswerFailureAsync(UrlGroup group, RequestRejectedException? rejected)
    {
        var commit = _protocol.Commit;
        await commit.WhenWritesCompleteAsync().ConfigureAwait(false);
        if (commit.HasStarted)
        {
            // Too late for a status: abort so the client sees an incomplete response, never a truncated "complete" one.
            _protocol.Abort();
            return false;
        }

        commit.DiscardBufferedBody();
        if (rejected is not null)
        {
            await _protocol.RejectAsync(rejected.Rejection, group.Options.Http503Verbosity).ConfigureAwait(false);
            return false;
        }

        // ASP.NET HttpSys: an exception before the response started gives an empty 500.
        Response.Reset();
        Response.StatusCode = 500;
        Response.Headers.Clear();
        _protocol.KeepAlive = false;
        return true;
    }

    /// <summary>Commits the response and logs it; a response the handler left invalid becomes a 500 or an abort.</summary>
    private async ValueTask<bool> CompleteAsync(UrlGroup group, string? reason = null)
    {
        var commit = _protocol.Commit;
        bool keepAlive;
        try
        {
            keepAlive = await commit.CompleteAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException e) when (!_protocol.IsAborted)
        {
            // Found at the final commit (a Content-Length mismatch, CR/LF/NUL in a header): the handler's fault, reported
            // like any handler failure; the client gets a 500 if nothing went out yet.
            _service.Events?.HandlerFailed(group.Name, e);
            if (commit.HasStarted)
            {
                _protocol.Abort();
                return false;
            }

            commit.DiscardBufferedBody();
            Response.Reset();
            Response.StatusCode = 500;
            Response.Headers.Clear();
            _protocol.KeepAlive = false;
            keepAlive = await commit.CompleteAsync().ConfigureAwait(false);
        }

        Log(Response.StatusCode, commit.BodyBytesWritten, reason);
        End();
        return keepAlive;
    }

    /// <summary>The request is done: its headers and items are let go, so an idle keep-alive connection holds none of them.</summary>
    private void End()
    {
        Request.Reset(null);
        Response.Reset();
        Context.Reset();
    }

    private void Log(int status, long bytes, string? reason)
    {
        var time = _service.Heartbeat.Time;
        if (_service.Metrics.TimesRequests)
        {
            _service.Metrics.RequestCompleted(time.GetElapsedTime(_start), Request.Method, _protocol.Scheme, status, _route, Request.Protocol);
        }

        var group = _group ?? _routedGroup;
        if (reason is not null && _service.ErrorLog is { } errors)
        {
            errors.Write(new ErrorLogEntry(time.GetUtcNow(), Request.RemoteEndPoint, Request.LocalEndPoint, Request.Protocol, Request.Method, Request.RawUrl,
                status, reason, group?.RequestQueue.Name));
        }

        var events = _service.Events is { LogsRequests: true } sink ? sink : null;
        if (events is null && group?.AccessLog is null)
        {
            return;
        }

        var entry = new RequestLogEntry(time.GetUtcNow(), Request.RemoteEndPoint, Request.LocalEndPoint, Request.Protocol, Request.Method,
            Request.RawUrl, status, bytes, time.GetElapsedTime(_start), group?.Name, reason);
        events?.RequestCompleted(entry);
        group?.AccessLog?.Write(entry);
    }
}
