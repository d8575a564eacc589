using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using HttpSysPS.Engine.Caching;
using HttpSysPS.Engine.Connections;
using HttpSysPS.Engine.Handlers;
using HttpSysPS.Engine.Queues;
using HttpSysPS.Engine.Requests;
using HttpSysPS.Engine.Routing;
using HttpSysPS.Engine.Timeouts;
using HttpSysPS.Engine.Tls;

namespace HttpSysPS.Engine.Http1;

/// <summary>
/// One HTTP/1.1 connection: the framing layer under <see cref="RequestLifecycle"/>. It reads and parses heads, hands
/// each request to the lifecycle, and loops for keep-alive and pipelining; its <see cref="Http1ResponseWriter"/>
/// frames the responses. Exactly one deadline is armed at a time; the server heartbeat enforces it.
/// </summary>
internal sealed class Http1Connection : IThreadPoolWorkItem, IServerConnection, IRequestProtocol
{
    private readonly ServiceContext _service;
    private readonly Socket _socket;
    private readonly ListenEndpoint _endpoint;
    private readonly CancellationTokenSource _aborted = new();
    private readonly IPAddress? _localAddress;
    private readonly EndPoint? _remoteEndPoint;
    private readonly EndPoint? _localEndPoint;
    private Stream _stream = null!;
    private InputBuffer _input = null!;
    private RequestFraming _framing;
    private UrlGroup? _attachedGroup;
    private readonly ConnectionDeadline _deadline;
    private ConnectionTls? _tls;
    private Http1Exchange? _exchange;
    private IdleParking _parking;
    private Authentication.ConnectionAuthentication? _authentication;
    private bool _closeRequested;
    private int _closed;

    public Http1Connection(ServiceContext service, Socket socket, ListenEndpoint endpoint, long id)
    {
        _service = service;
        _socket = socket;
        _endpoint = endpoint;
        Id = id;
        _deadline = new ConnectionDeadline(service.Heartbeat, service.Options.Observer, id);
        _remoteEndPoint = socket.RemoteEndPoint;

        // The connection's own local address (not the listening socket's wildcard); Unix sockets report the path.
        _localEndPoint = endpoint.UnixSocketPath is null ? socket.LocalEndPoint : endpoint.LocalEndPoint;
        if (socket.LocalEndPoint is IPEndPoint local)
        {
            _localAddress = local.Address.IsIPv4MappedToIPv6 ? local.Address.MapToIPv4() : local.Address;
        }
    }

    public long Id { get; }

    public InputBuffer Input => _input;

    /// <summary>Response bytes waiting to be written (head, buffered body, chunk framing).</summary>
    internal OutputBuffer Output => Exchange.Output;

    /// <summary>The request state; a parked connection has none and gets a new one when the client speaks again.</summary>
    private Http1Exchange Exchange => _exchange ??= new Http1Exchange(this, _service);

    internal RequestFraming Framing => _framing;

    internal RequestBodyReader BodyReader => Exchange.BodyReader;

    internal Stream Stream => _stream;

    internal Socket Socket => _socket;

    internal bool IsUnixSocket => _endpoint.UnixSocketPath is not null;

    internal bool CloseRequested => Volatile.Read(ref _closeRequested);

    /// <summary>The timers in force: the listener's once a request was routed to one (HTTP.sys "limited" timers), read
    /// at each arming so live changes of the store reach open keep-alive connections.</summary>
    private ConnectionTimers Timers => _attachedGroup?.Timers ?? _service.ServerTimers;

    public string Scheme => _endpoint.Scheme;

    public int Port => _endpoint.Port;

    public bool KeepAlive { get; set; }

    public bool IsHead => _framing.IsHead;

    public CancellationToken Aborted => _aborted.Token;

    public bool IsAborted => Volatile.Read(ref _closed) != 0;

    public IResponseCommit Commit => Exchange.Writer;

    public Authentication.ConnectionAuthentication Authentication => _authentication ??= new();

    public bool IsSecure => _tls is not null;

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

    /// <summary>
    /// Heartbeat: when the one deadline has passed, the connection is closed silently (HTTP.sys sends nothing on timer
    /// expiry) — on the thread pool, not here: closing fires RequestAborted callbacks and the ConnectionDropped event,
    /// user code that must neither stall every other timer nor take the heartbeat down with an exception.
    /// </summary>
    public void CheckDeadline(long now)
    {
        if (_deadline.IdleLongerThan(now, _service.Heartbeat.Time.TimestampFrequency) && _parking.TryBeginPark())
        {
            // Not user code, and the connection is waiting on a zero-byte read: its request state can go from here.
            _exchange?.Release();
            _exchange = null;
            _parking.EndPark();
            _service.Options.Observer?.Parked(Id);
        }

        if (!_deadline.TryExpire(now))
        {
            return;
        }

        var reason = _deadline.Reason;
        ThreadPool.UnsafeQueueUserWorkItem(static state => state.Connection.TimeOut(state.Reason), (Connection: this, Reason: reason), preferLocal: false);
    }

    public void OnUrlGroupStopped(UrlGroup group, bool abort)
    {
        if (Volatile.Read(ref _exchange)?.Lifecycle.ExecutingGroup == group && abort)
        {
            Abort();
        }
        else if (_attachedGroup == group)
        {
            RequestClose();
        }
    }

    public void OnTimersChanged() => _deadline.Rearm(Timers);

    public void OnEndpointClosed(ListenEndpoint endpoint)
    {
        if (_endpoint == endpoint)
        {
            RequestClose();
        }
    }

    public RouteResult<UrlGroup> Route(PrefixTable<UrlGroup> prefixes, Request request) =>
        _endpoint.UnixSocketPath is { } socketPath
            ? prefixes.RouteUnix(socketPath, request.Host, request.Path)
            : prefixes.Route(_endpoint.Scheme, request.Host, _localAddress, _endpoint.Port, request.Path);

    public bool TryAttach(UrlGroup group)
    {
        if (_attachedGroup == group)
        {
            return true;
        }

        if (!group.TryAttachConnection())
        {
            return false;
        }

        _attachedGroup?.DetachConnection();
        _attachedGroup = group;
        return true;
    }

    public void PrepareRequest(Request request)
    {
        request.IsSecure = _endpoint.Scheme == "https";
        request.ClientCertificate = _tls?.ClientCertificate;
        var exchange = Exchange;
        exchange.BodyReader.Reset(request, _framing);
        request.Body = _framing.HasBody ? exchange.BodyReader : Stream.Null;
        exchange.Writer.BeginResponse(_framing.IsHead);
        exchange.Writer.AllowSynchronousIO = request.AllowSynchronousIO;
    }

    public void EnterApplicationTime(bool queued) =>
        SetPhase(queued ? ConnectionPhase.Queued : ConnectionPhase.Executing, ConnectionTimers.Disabled, TimeoutReason.None);

    public async ValueTask RejectAsync(RequestRejection rejection, Http503Verbosity verbosity)
    {
        KeepAlive = false;
        var reason = ErrorPages.Describe(rejection).LogReason;
        if (ErrorResponseCache.StatusOf(rejection) == 503 && verbosity == Http503Verbosity.Basic)
        {
            // HTTP.sys "Basic" verbosity: no response, a reset.
            _service.ReportDropped(_remoteEndPoint, _localEndPoint, reason);
            _socket.LingerState = new LingerOption(true, 0);
            Abort();
            return;
        }

        Output.Write(_service.ErrorResponses.Get(rejection, verbosity, _service.Heartbeat.DateHeader));
        Exchange.Lifecycle.LogRejected(ErrorResponseCache.StatusOf(rejection), reason);
        await FlushOutputAsync(CancellationToken.None).ConfigureAwait(false);
        GracefulShutdown.AfterLastByte(_socket);
    }

    public ValueTask WriteCachedAsync(ResponseCacheEntry entry) => Exchange.Writer.WriteCachedAsync(entry);

    public bool CanUpgrade => _framing.Version == HttpVersion.Http11 && !_framing.HasBody && !Exchange.Writer.HasStarted;

    public UpgradedStream Upgrade(TimeSpan? idleTimeout)
    {
        Exchange.Writer.WriteSwitchingProtocols();
        SetPhase(ConnectionPhase.Upgraded, ConnectionTimers.Disabled, TimeoutReason.None);
        var idle = idleTimeout is { } span ? (long)(span.TotalSeconds * _service.Heartbeat.Time.TimestampFrequency) : ConnectionTimers.Disabled;
        return new Http1UpgradedStream(this, _input, _stream, idle);
    }

    internal void EnterUpgradedRead(long idleTimeout) => SetPhase(ConnectionPhase.Upgraded, idleTimeout, TimeoutReason.WebSocketIdle);

    internal void ExitUpgradedRead() => SetPhase(ConnectionPhase.Upgraded, ConnectionTimers.Disabled, TimeoutReason.None);

    internal void EnterBodyRead() => SetPhase(ConnectionPhase.ReadingBody, Timers.EntityBody, TimeoutReason.EntityBody);

    internal void ExitBodyRead() => SetPhase(ConnectionPhase.Executing, ConnectionTimers.Disabled, TimeoutReason.None);

    internal void EnterDrain() => SetPhase(ConnectionPhase.Draining, Timers.DrainEntityBody, TimeoutReason.DrainEntityBody);

    /// <summary>Writes the buffered output under the MinSendBytesPerSecond deadline.</summary>
    internal async ValueTask FlushOutputAsync(CancellationToken cancellationToken)
    {
        var saved = BeginSend(Output.Length);
        await Output.FlushToAsync(_stream, cancellationToken).ConfigureAwait(false);
        EndSend(saved);
    }

    /// <summary>Arms the send deadline for <paramref name="bytes"/> (MinSendBytesPerSecond); returns what to restore after.</summary>
    internal (ConnectionPhase Phase, long Deadline, long ArmedAt, TimeoutReason Reason) BeginSend(long bytes) => _deadline.BeginSend(Timers.SendAllowance(bytes));

    /// <summary>Restores the phase the send interrupted, measured with the timers in force now: a live store change
    /// that arrived during the send re-armed the send's deadline, not the one being restored.</summary>
    internal void EndSend((ConnectionPhase Phase, long Deadline, long ArmedAt, TimeoutReason Reason) saved)
    {
        _deadline.Restore(saved);
        _deadline.Rearm(Timers);
    }

    private void TimeOut(TimeoutReason reason)
    {
        if (IsAborted)
        {
            return;
        }

        if (reason == TimeoutReason.IdleConnection)
        {
            GracefulShutdown.BothWays(_socket);
        }

        try
        {
            Abort();
            _service.ReportDropped(_remoteEndPoint, _localEndPoint, reason.LogName());
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // An event sink (user code) failed on a thread-pool thread, where an unhandled exception would end the
            // process; the connection is closed either way, and the sink is the one place a failure could be told.
        }
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
        if (_deadline.Phase == ConnectionPhase.Idle)
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

    private async Task RunAsync()
    {
        try
        {
            _stream = new NetworkStream(_socket, ownsSocket: false);
            if (_endpoint.Scheme == "https")
            {
                SetPhase(ConnectionPhase.ReadingHeaders, Timers.HeaderWait, TimeoutReason.HeaderWait);
                _tls = await ConnectionTls.AuthenticateAsync(_stream, _service, _localAddress, _endpoint.Port, _remoteEndPoint, _localEndPoint, _aborted.Token).ConfigureAwait(false);
                if (_tls is null)
                {
                    return;
                }

                _stream = _tls.Stream;
            }

            _input = new InputBuffer(_stream);
            while (WaitingForRequest())
            {
                SetPhase(ConnectionPhase.Idle, Timers.IdleConnection, TimeoutReason.IdleConnection);
                if (_input.IsEmpty && _service.Options.WaitForDataBeforeAllocatingBuffer)
                {
                    // Pipelined answers go out before the connection waits for the client.
                    if (!await BeforeBlockingReadAsync(headStarted: false).ConfigureAwait(false))
                    {
                        break;
                    }

                    // The wait is here, in the connection's one async frame, with no receive buffer: the heartbeat may
                    // park the connection meanwhile (IdleParking), and then the request state is built anew.
                    _parking.EnterWait();
                    _service.Options.Observer?.WaitingForData(Id);
                    await _input.WaitForDataAsync().ConfigureAwait(false);
                    _parking.ExitWait();
                }

                if (!await ReadHeadAsync().ConfigureAwait(false) || !await Exchange.Lifecycle.RunAsync().ConfigureAwait(false) || !KeepAlive)
                {
                    break;
                }
            }

            if (_exchange is { Output.HasData: true })
            {
                await FlushOutputAsync(CancellationToken.None).ConfigureAwait(false);
            }

            GracefulShutdown.AfterLastByte(_socket);
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
            _exchange?.Release();
            _authentication?.Dispose();
            _attachedGroup?.DetachConnection();
            _service.Connections.Remove(this);
        }
    }

    /// <summary>Reads and parses the next head into the lifecycle's request; false when the connection must close.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ReadHeadAsync()
    {
        var exchange = Exchange;
        var (outcome, rejection) = await exchange.HeadReader.ReadAsync(_input, exchange.Lifecycle.Request).ConfigureAwait(false);
        _framing = exchange.HeadReader.Framing;
        KeepAlive = _framing.KeepAlive && !CloseRequested;
        if (outcome == HeadReadOutcome.Rejected)
        {
            await RejectAsync(rejection, _service.Options.Http503Verbosity).ConfigureAwait(false);
            return false;
        }

        return outcome == HeadReadOutcome.Parsed;
    }

    /// <summary>For the head reader: the first byte of a new request arrived (HeaderWait starts, the log's clock too).</summary>
    internal void OnHeadStarted()
    {
        var lifecycle = Exchange.Lifecycle;
        lifecycle.Begin();
        lifecycle.Request.RemoteEndPoint = _remoteEndPoint;
        lifecycle.Request.LocalEndPoint = _localEndPoint;
        SetPhase(ConnectionPhase.ReadingHeaders, Timers.HeaderWait, TimeoutReason.HeaderWait);
    }

    /// <summary>For the head reader: before it blocks for bytes, pipelined answers still buffered go out; false when
    /// a close was requested and the connection must not wait for another request.</summary>
    internal async ValueTask<bool> BeforeBlockingReadAsync(bool headStarted)
    {
        if (_exchange is { Output.HasData: true })
        {
            await FlushOutputAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return headStarted || WaitingForRequest();
    }

    internal bool IsIdle => _deadline.Phase == ConnectionPhase.Idle;

    private void SetPhase(ConnectionPhase phase, long timeout, TimeoutReason reason) => _deadline.Set(phase, timeout, reason);
}
