using System.Buffers;
using System.Buffers.Text;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using HttpSysPS.Engine.Connections;
using HttpSysPS.Engine.Handlers;
using HttpSysPS.Engine.Queues;
using HttpSysPS.Engine.Routing;
using HttpSysPS.Engine.Timeouts;

namespace HttpSysPS.Engine.Http1;

/// <summary>
/// One HTTP/1.1 connection: reads heads, routes, passes each request through its URL group's request queue to the
/// handler, writes the response, drains what the handler left unread, and loops for keep-alive and pipelining.
/// Exactly one deadline is armed at a time; the server heartbeat enforces it.
/// </summary>
internal sealed partial class Http1Connection : IThreadPoolWorkItem, IResponseSink
{
    /// <summary>Body bytes buffered before the response is committed (then it goes chunked unless Content-Length was set).</summary>
    private const int ResponseBufferLimit = 64 * 1024;

    /// <summary>Files up to this size are read into the response instead of sent with sendfile, so the response leaves in one write.</summary>
    private const int SmallFileLimit = 64 * 1024;

    private static readonly byte[] ContinueResponse = "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray();
    private static readonly byte[] ChunkTerminator = "0\r\n\r\n"u8.ToArray();

    private readonly HttpServer _server;
    private readonly Socket _socket;
    private readonly ListenEndpoint _endpoint;
    private readonly OutputBuffer _output = new();
    private readonly OutputBuffer _body = new();
    private readonly Http1HeadParser _parser = new();
    private readonly Request _request = new();
    private readonly Response _response;
    private readonly RequestContext _context;
    private readonly RequestBodyReader _bodyReader;
    private readonly CancellationTokenSource _aborted = new();
    private readonly IPAddress? _localAddress;
    private readonly EndPoint? _remoteEndPoint;
    private readonly EndPoint? _localEndPoint;
    private Stream _stream = null!;
    private InputBuffer _input = null!;
    private ConnectionTimers _timers;
    private RequestFraming _framing;
    private UrlGroup? _group;
    private UrlGroup? _attachedGroup;
    private ConnectionPhase _phase;
    private long _deadline = long.MaxValue;
    private TimeoutReason _deadlineReason;
    private bool _keepAlive;
    private bool _responseStarted;
    private bool _chunkedResponse;
    private bool _suppressBody;
    private bool _continueSent;
    private long _bodyBytesWritten;
    private long _requestStart;
    private readonly bool _logRequests;
    private Tls.TlsBindingContext? _tlsBinding;
    private X509Certificate2? _clientCertificate;
    private bool _closeRequested;
    private int _closed;

    public Http1Connection(HttpServer server, Socket socket, ListenEndpoint endpoint, long id)
    {
        _server = server;
        _socket = socket;
        _endpoint = endpoint;
        Id = id;
        _timers = server.ServerTimers;
        _response = new Response(this);
        _bodyReader = new RequestBodyReader(this);
        _context = new RequestContext(_request, _response, null!);
        _remoteEndPoint = socket.RemoteEndPoint;

        // The connection's own local address (not the listening socket's wildcard); Unix sockets report the path.
        _localEndPoint = endpoint.UnixSocketPath is null ? socket.LocalEndPoint : endpoint.LocalEndPoint;
        _logRequests = server.Options.Events?.LogsRequests ?? false;
        if (socket.LocalEndPoint is IPEndPoint local)
        {
            _localAddress = local.Address.IsIPv4MappedToIPv6 ? local.Address.MapToIPv4() : local.Address;
        }
    }

    public long Id { get; }

    public InputBuffer Input => _input;

    bool IResponseSink.HasStarted => _responseStarted;

    long IResponseSink.BodyBytesWritten => _bodyBytesWritten;

    private IServerEvents? Events => _server.Options.Events;

    public void Execute() => _ = RunAsync();

    /// <summary>Closes the connection now, without an answer (timers, aborted handlers, server stop).</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        SetPhase(ConnectionPhase.Closed, ConnectionTimers.Disabled, TimeoutReason.None);
        try
        {
            _aborted.Cancel();
        }
        catch (AggregateException)
        {
            // A handler's cancellation callback threw; the connection goes regardless.
        }

        _socket.Dispose();
    }

    /// <summary>Heartbeat: closes the connection silently when its one deadline has passed (HTTP.sys sends nothing on timer expiry).</summary>
    public void CheckDeadline(long now)
    {
        if (now < Volatile.Read(ref _deadline))
        {
            return;
        }

        var reason = _deadlineReason;
        Events?.ConnectionDropped(new ConnectionDropEntry(_server.Options.TimeProvider.GetUtcNow(), _remoteEndPoint, _localEndPoint, reason.LogName()));
        Abort();
    }

    public void OnUrlGroupStopped(UrlGroup group, bool abort)
    {
        if (_group == group && abort)
        {
            Abort();
        }
        else if (_attachedGroup == group)
        {
            RequestClose();
        }
    }

    public void OnEndpointClosed(ListenEndpoint endpoint)
    {
        if (_endpoint != endpoint)
        {
            return;
        }

        RequestClose();
    }

    /// <summary>
    /// Ends the connection at its next idle point: now if it is idle, else after the current response. Flag first,
    /// phase second — the connection writes its phase before it reads the flag (<see cref="WaitingForRequest"/>), so
    /// one of the two sides always sees the other and no idle connection is left reading.
    /// </summary>
    private void RequestClose()
    {
        Volatile.Write(ref _closeRequested, true);
        Interlocked.MemoryBarrier();
        if (_phase == ConnectionPhase.Idle)
        {
            Abort();
        }
    }

    /// <summary>True when the connection may block reading the next request (no close was requested while it was busy).</summary>
    private bool WaitingForRequest()
    {
        Interlocked.MemoryBarrier();
        return !Volatile.Read(ref _closeRequested);
    }

    internal async ValueTask SendContinueIfExpectedAsync()
    {
        // HTTP.sys sends 100 Continue itself when the application first reads the body (spec §8).
        if (_framing.ExpectContinue && !_continueSent && !_responseStarted)
        {
            _continueSent = true;
            _output.Write(ContinueResponse);
            await FlushOutputAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    internal void EnterBodyRead() => SetPhase(ConnectionPhase.ReadingBody, _timers.EntityBody, TimeoutReason.EntityBody);

    internal void ExitBodyRead() => SetPhase(ConnectionPhase.Executing, ConnectionTimers.Disabled, TimeoutReason.None);

    private async Task RunAsync()
    {
        try
        {
            _stream = new NetworkStream(_socket, ownsSocket: false);
            if (_endpoint.Scheme == "https" && !await AuthenticateAsync().ConfigureAwait(false))
            {
                return;
            }

            _input = new InputBuffer(_stream);
            await ProcessRequestsAsync().ConfigureAwait(false);
            if (_output.HasData)
            {
                await FlushOutputAsync(CancellationToken.None).ConfigureAwait(false);
            }

            GracefulClose();
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The peer reset, a timer closed the socket, or the server aborted: nothing to answer.
        }
        finally
        {
            Abort();
            _input?.Dispose();
            _stream?.Dispose();
            _output.Clear();
            _body.Clear();
            _attachedGroup?.DetachConnection();
            _server.OnConnectionClosed(this);
        }
    }

    /// <summary>
    /// The TLS handshake. The certificate comes from the SSL binding chosen for the client's SNI name, then the local
    /// address and port (<see cref="Tls.TlsCertificateSelector"/>); no binding fails the handshake, as in HTTP.sys.
    /// The handshake runs under the HeaderWait timer, so a client that stalls in it is dropped like a slow head.
    /// </summary>
    private async ValueTask<bool> AuthenticateAsync()
    {
        SetPhase(ConnectionPhase.ReadingHeaders, _timers.HeaderWait, TimeoutReason.HeaderWait);
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsServerAsync(SelectTlsOptionsAsync, this, _aborted.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException or ObjectDisposedException or System.ComponentModel.Win32Exception)
        {
            Events?.ConnectionDropped(new ConnectionDropEntry(_server.Options.TimeProvider.GetUtcNow(), _remoteEndPoint, _localEndPoint, "TLS_Handshake: " + e.Message));
            await ssl.DisposeAsync().ConfigureAwait(false);
            return false;
        }

        _stream = ssl;
        if (_tlsBinding?.Binding.NegotiateClientCertificate == true && ssl.RemoteCertificate is { } remote)
        {
            _clientCertificate = remote as X509Certificate2 ?? new X509Certificate2(remote);
        }

        return true;
    }

    private static ValueTask<SslServerAuthenticationOptions> SelectTlsOptionsAsync(SslStream stream, SslClientHelloInfo hello, object? state, CancellationToken cancellationToken)
    {
        var connection = (Http1Connection)state!;
        var local = connection._localAddress ?? IPAddress.Any;
        var selected = connection._server.Tls.Select(hello.ServerName, local, connection._endpoint.Port);
        if (selected is null)
        {
            throw new AuthenticationException(
                $"No SSL binding for hostnameport {(string.IsNullOrEmpty(hello.ServerName) ? "(no SNI)" : hello.ServerName)}:{connection._endpoint.Port} or ipport {local}:{connection._endpoint.Port}.");
        }

        connection._tlsBinding = selected;
        return ValueTask.FromResult(selected.Options);
    }

    private async Task ProcessRequestsAsync()
    {
        var limits = _server.Options.Limits;
        while (WaitingForRequest())
        {
            SetPhase(ConnectionPhase.Idle, _timers.IdleConnection, TimeoutReason.IdleConnection);
            var scanner = HeadScanner.Start();
            InputReadResult result;
            ReadOnlySequence<byte> buffer;
            int headLength;
            {
                while (true)
                {
                    if (!_input.TryRead(out result))
                    {
                        if (_output.HasData)
                        {
                            await FlushOutputAsync(CancellationToken.None).ConfigureAwait(false);
                        }

                        if (!scanner.Started && !WaitingForRequest())
                        {
                            return;
                        }

                        result = await _input.ReadAsync().ConfigureAwait(false);
                    }

                    buffer = result.Buffer;

                    // RFC 9112 §2.2: ignore empty lines before a request-line.
                    if (!scanner.Started && buffer.Length >= 2 && buffer.FirstSpan.Length >= 2 && buffer.FirstSpan[0] == (byte)'\r' && buffer.FirstSpan[1] == (byte)'\n')
                    {
                        _input.AdvanceTo(buffer.GetPosition(2));
                        continue;
                    }

                    if (!buffer.IsEmpty && _phase == ConnectionPhase.Idle)
                    {
                        _requestStart = _logRequests ? _server.Heartbeat.Time.GetTimestamp() : 0;
                        SetPhase(ConnectionPhase.ReadingHeaders, _timers.HeaderWait, TimeoutReason.HeaderWait);
                    }

                    var span = buffer.FirstSpan;
                    if (scanner.TryScan(span, limits, out headLength, out var rejection))
                    {
                        break;
                    }

                    if (rejection is { } reason)
                    {
                        _input.AdvanceTo(buffer.Start, buffer.End);
                        await RejectAsync(reason, _server.Options.Http503Verbosity).ConfigureAwait(false);
                        return;
                    }

                    if (result.IsCompleted)
                    {
                        // The client closed mid-head (or between requests): nothing to answer.
                        _input.AdvanceTo(buffer.End);
                        return;
                    }

                    _input.AdvanceTo(buffer.Start, buffer.End);
                }

                _request.Reset(null);
                _response.Reset();
                _context.Reset();
                var parseRejection = _parser.Parse(buffer.FirstSpan[..headLength], _request, limits, out _framing);
                _input.AdvanceTo(buffer.GetPosition(headLength));
                if (parseRejection is { } bad)
                {
                    await RejectAsync(bad, _server.Options.Http503Verbosity).ConfigureAwait(false);
                    return;
                }
            }

            if (!await ProcessRequestAsync().ConfigureAwait(false) || !_keepAlive)
            {
                return;
            }
        }
    }

    /// <summary>Routes and runs one parsed request. False when the connection must close now.</summary>
    private async ValueTask<bool> ProcessRequestAsync()
    {
        _keepAlive = _framing.KeepAlive && !Volatile.Read(ref _closeRequested);
        var route = _endpoint.UnixSocketPath is { } socketPath
            ? _server.Prefixes.RouteUnix(socketPath, _request.Host, _request.Path)
            : _server.Prefixes.Route(_endpoint.Scheme, _request.Host, _localAddress, _endpoint.Port, _request.Path);
        if (route.Outcome != RouteOutcome.Matched)
        {
            var rejection = route.Outcome switch
            {
                RouteOutcome.NotFound => RequestRejection.NotFound,
                RouteOutcome.Unavailable => RequestRejection.Unavailable,
                _ => RequestRejection.InvalidHostname,
            };
            await RejectAsync(rejection, _server.Options.Http503Verbosity).ConfigureAwait(false);
            return false;
        }

        var group = route.Target!;
        if (_attachedGroup != group)
        {
            if (!group.TryAttachConnection())
            {
                await RejectAsync(RequestRejection.ConnectionLimit, group.Options.Http503Verbosity).ConfigureAwait(false);
                return false;
            }

            _attachedGroup?.DetachConnection();
            _attachedGroup = group;

            // HTTP.sys "limited" timers: the listener's IdleConnection/HeaderWait apply once a request was routed to it.
            _timers = group.Timers;
        }

        // ---- response cache: a hit is answered here, before the request queue; the handler is not called ----
        if (TryServeFromCache(group, route.Prefix!) is not null)
        {
            if (!_keepAlive)
            {
                await FlushOutputAsync(CancellationToken.None).ConfigureAwait(false);
            }

            return _keepAlive;
        }

        // ---- end response cache ----
        PrepareRequest(group, route.Prefix!);
        _group = group;
        group.EnterRequest();
        try
        {
            var admission = group.RequestQueue.TryAdmit(_server.Heartbeat.Now, out var wait);
            if (admission == AdmissionResult.Rejected)
            {
                var why = group.State == UrlGroupState.Started ? RequestRejection.QueueFull : RequestRejection.Unavailable;
                await RejectAsync(why, group.Options.Http503Verbosity).ConfigureAwait(false);
                return false;
            }

            if (admission == AdmissionResult.Queued)
            {
                SetPhase(ConnectionPhase.Queued, ConnectionTimers.Disabled, TimeoutReason.None);
                var exit = await wait!.ConfigureAwait(false);
                if (exit != QueueExit.Dequeued)
                {
                    await RejectAsync(exit == QueueExit.TimedOut ? RequestRejection.QueueTimeout : RequestRejection.Unavailable, group.Options.Http503Verbosity).ConfigureAwait(false);
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
            _group = null;
            group.ExitRequest();
        }

        return await FinishRequestAsync().ConfigureAwait(false);
    }

    private void PrepareRequest(UrlGroup group, UrlPrefix prefix)
    {
        var request = _request;
        request.MaxRequestBodySize = group.Options.MaxRequestBodySize;
        request.UrlPrefix = prefix;
        request.IsSecure = _endpoint.Scheme == "https";
        request.ClientCertificate = _clientCertificate;
        request.LocalEndPoint = _localEndPoint;
        request.RemoteEndPoint = _remoteEndPoint;
        request.RequestId = _server.NextRequestId();
        _bodyReader.Reset(request, _framing);
        request.Body = _framing.HasBody ? _bodyReader : Stream.Null;
        _context.Listener = group;
        _context.RequestAborted = _aborted.Token;
        _responseStarted = false;
        _chunkedResponse = false;
        _bodyBytesWritten = 0;
        _continueSent = false;
        _suppressBody = _framing.IsHead;
    }

    /// <summary>Runs the handler. False when the connection was aborted or answered with an error and must close.</summary>
    private async ValueTask<bool> RunHandlerAsync(UrlGroup group)
    {
        SetPhase(ConnectionPhase.Executing, ConnectionTimers.Disabled, TimeoutReason.None);
        try
        {
            await group.Handler.HandleAsync(_context, _aborted.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (_closed == 0)
        {
            if (e is not RequestRejectedException)
            {
                Events?.HandlerFailed(group.Name, e);
            }

            if (_responseStarted)
            {
                // Too late for a status: abort so the client sees an incomplete response, never a truncated "complete" one.
                Abort();
                return false;
            }

            // The buffered body is discarded, so its byte count must go too: the final head takes its Content-Length
            // from _bodyBytesWritten, and the empty 500 below would otherwise announce bytes that never follow.
            _body.Clear();
            _bodyBytesWritten = 0;
            if (e is RequestRejectedException rejected)
            {
                await RejectAsync(rejected.Rejection, group.Options.Http503Verbosity).ConfigureAwait(false);
                return false;
            }

            // ASP.NET HttpSys: an exception before the response started gives an empty 500.
            _response.Reset();
            _response.StatusCode = 500;
            _response.Headers.Clear();
            _keepAlive = false;
            return true;
        }
        finally
        {
            group.RequestQueue.Complete();
        }
    }

    /// <summary>Completes the response, drains the unread body, logs. False when the connection must close.</summary>
    private async ValueTask<bool> FinishRequestAsync()
    {
        if (!_responseStarted)
        {
            var cacheBody = CaptureForCache(out var timeToLive); // response cache: sent in one piece
            WriteResponseHead(final: true);
            StoreCaptured(cacheBody, timeToLive);
        }
        else if (_chunkedResponse)
        {
            _output.Write(ChunkTerminator);
        }
        else if (_response.ContentLength is { } declared && declared != _bodyBytesWritten && !_suppressBody)
        {
            // Fewer bytes than announced: the response cannot be completed honestly.
            Abort();
            return false;
        }

        LogRequest(_response.StatusCode, _bodyBytesWritten, null);
        if (!_bodyReader.IsComplete && _keepAlive)
        {
            if (_output.HasData)
            {
                await FlushOutputAsync(CancellationToken.None).ConfigureAwait(false);
            }

            SetPhase(ConnectionPhase.Draining, _timers.DrainEntityBody, TimeoutReason.DrainEntityBody);
            _keepAlive = await _bodyReader.DrainAsync(CancellationToken.None).ConfigureAwait(false);
        }

        if (!_keepAlive && _output.HasData)
        {
            await FlushOutputAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return _keepAlive;
    }

    private async ValueTask RejectAsync(RequestRejection rejection, Http503Verbosity verbosity)
    {
        _keepAlive = false;
        var status = ErrorResponseCache.StatusOf(rejection);
        var reason = ErrorPages.Describe(rejection).LogReason;
        if (status == 503 && verbosity == Http503Verbosity.Basic)
        {
            // HTTP.sys "Basic" verbosity: no response, a reset.
            Events?.ConnectionDropped(new ConnectionDropEntry(_server.Options.TimeProvider.GetUtcNow(), _remoteEndPoint, _localEndPoint, reason));
            _socket.LingerState = new LingerOption(true, 0);
            Abort();
            return;
        }

        _output.Write(_server.ErrorResponses.Get(rejection, verbosity, _server.Heartbeat.DateHeader));
        LogRequest(status, 0, reason);
        await FlushOutputAsync(CancellationToken.None).ConfigureAwait(false);
        GracefulClose();
    }

    private void GracefulClose()
    {
        try
        {
            // FIN after the last byte, so the client reads the whole error page before the connection ends.
            _socket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }
    }

    private async ValueTask FlushOutputAsync(CancellationToken cancellationToken)
    {
        var previous = _phase;
        var previousDeadline = _deadline;
        var previousReason = _deadlineReason;
        SetPhase(ConnectionPhase.Sending, _timers.SendAllowance(_output.Length), TimeoutReason.MinSendRate);
        await _output.FlushToAsync(_stream, cancellationToken).ConfigureAwait(false);
        RestorePhase(previous, previousDeadline, previousReason);
    }

    private void SetPhase(ConnectionPhase phase, long timeout, TimeoutReason reason)
    {
        _phase = phase;
        _deadlineReason = reason;
        Volatile.Write(ref _deadline, timeout == ConnectionTimers.Disabled ? long.MaxValue : _server.Heartbeat.Now + timeout);
        _server.Options.Observer?.PhaseChanged(Id, phase);
    }

    private void RestorePhase(ConnectionPhase phase, long deadline, TimeoutReason reason)
    {
        _phase = phase;
        _deadlineReason = reason;
        Volatile.Write(ref _deadline, deadline);
        _server.Options.Observer?.PhaseChanged(Id, phase);
    }

    private void LogRequest(int status, long bytes, string? reason)
    {
        if (!_logRequests || Events is not { } events)
        {
            return;
        }

        var time = _server.Heartbeat.Time;
        events.RequestCompleted(new RequestLogEntry(time.GetUtcNow(), _remoteEndPoint, _localEndPoint, _request.Protocol, _request.Method,
            _request.RawUrl, status, bytes, time.GetElapsedTime(_requestStart), _group?.Name ?? _attachedGroup?.Name, reason));
    }
}
