using System.Buffers.Text;
using System.Net.Sockets;
using System.Text;
using HttpSysPS.Engine.Caching;
using HttpSysPS.Engine.Handlers;
using HttpSysPS.Engine.Requests;

namespace HttpSysPS.Engine.Http1;

/// <summary>
/// The HTTP/1.1 framing of one connection's responses: buffering, the head (Content-Length or chunked), chunk framing,
/// file sends, and the final commit the lifecycle drives after the handler.
/// </summary>
/// <remarks>
/// <para>Writes are one at a time: a write issued while an earlier one is still running (a handler that did not await)
/// throws, as Kestrel's does, and the lifecycle waits for the last one before it commits, so no pooled buffer goes
/// back while the socket still sends from it.</para>
/// <para>A file send of more than <see cref="SmallFileLimit"/> bytes is queued, not sent: it goes out at the next write
/// or at the final commit, after the handler returned and gave back its request-queue slot, so a client that reads
/// slowly holds its connection and nothing else (HTTP.sys TransmitFile).</para>
/// </remarks>
internal sealed class Http1ResponseWriter : IResponseSink, IResponseCommit
{
    /// <summary>Body bytes buffered before the response is committed (then it goes chunked unless Content-Length was set).</summary>
    private const int ResponseBufferLimit = 64 * 1024;

    /// <summary>Files up to this size are read into the response instead of sent with sendfile, so the response leaves in one write.</summary>
    private const int SmallFileLimit = 64 * 1024;

    private readonly Http1Connection _connection;
    private readonly ServiceContext _service;
    private readonly OutputBuffer _body = new();
    private readonly Http1FileSender _files;
    private Response _response = null!;
    private ResponseCacheStep _cache = null!;
    private bool _started;
    private bool _chunked;
    private bool _suppressBody;
    private long _bytesWritten;
    private (OpenFile File, long Offset, long Count)? _pendingFile;
    private Task? _inFlight;

    public Http1ResponseWriter(Http1Connection connection, ServiceContext service)
    {
        _connection = connection;
        _service = service;
        _files = new Http1FileSender(connection, service);
    }

    public bool HasStarted => _started;

    /// <summary>The routed listener's UrlGroupOptions.AllowSynchronousIO for the current request (set by the connection).</summary>
    public bool AllowSynchronousIO { get; set; } = true;

    public long BodyBytesWritten => _bytesWritten;

    private OutputBuffer Output => _connection.Output;

    /// <summary>Completes construction (the response needs this writer first).</summary>
    public void Bind(Response response, ResponseCacheStep cache)
    {
        _response = response;
        _cache = cache;
    }

    /// <summary>A new response starts.</summary>
    public void BeginResponse(bool isHead)
    {
        _started = false;
        _chunked = false;
        _bytesWritten = 0;
        _suppressBody = isHead;
        _inFlight = null;
    }

    public ValueTask WriteBodyAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ThrowIfWriting();
        if (data.IsEmpty)
        {
            return default;
        }

        if (_response.ContentLength is { } declared && _bytesWritten + data.Length > declared)
        {
            throw new InvalidOperationException($"Response Content-Length mismatch: too many bytes written ({_bytesWritten + data.Length} of {declared}).");
        }

        _bytesWritten += data.Length;
        if (_suppressBody || IsBodyless(_response.StatusCode))
        {
            return default;
        }

        if (_pendingFile is not null)
        {
            return Track(WriteAfterFileAsync(data, cancellationToken));
        }

        if (!_started)
        {
            _body.Write(data.Span);
            return _body.Length > ResponseBufferLimit && !_cache.KeepBuffering(_response, _body.Length) ? Track(FlushCoreAsync(cancellationToken)) : default;
        }

        WriteBodyBytes(data.Span);
        return Output.Length > ResponseBufferLimit ? Track(_connection.FlushOutputAsync(cancellationToken)) : default;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        ThrowIfWriting();
        return Track(FlushCoreAsync(cancellationToken));
    }

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken)
    {
        ThrowIfWriting();
        return Track(SendFileCoreAsync(path, offset, count, cancellationToken)).AsTask();
    }

    /// <inheritdoc />
    public async ValueTask WhenWritesCompleteAsync()
    {
        if (_inFlight is not { } write)
        {
            return;
        }

        _inFlight = null;
        try
        {
            await write.ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // Nobody awaited it: its failure ends the connection instead (the response is incomplete).
            _connection.Abort();
        }
    }

    public void DiscardBufferedBody()
    {
        _body.Clear();
        _bytesWritten = 0;
    }

    /// <inheritdoc />
    public async ValueTask<bool> CompleteAsync()
    {
        if (!_started)
        {
            var timeToLive = TimeSpan.Zero;
            var cacheBody = _suppressBody ? null : _cache.Capture(_response, _body, out timeToLive);
            WriteResponseHead(final: true);
            _cache.Store(_response, cacheBody, timeToLive);
        }
        else
        {
            if (_pendingFile is not null)
            {
                await SendPendingFileAsync(_connection.Aborted).ConfigureAwait(false);
            }

            if (_chunked)
            {
                Output.Write(ChunkFraming.Terminator);
            }
            else if (_response.ContentLength is { } declared && declared != _bytesWritten && !_suppressBody)
            {
                // Fewer bytes than announced: the response cannot be completed honestly.
                _connection.Abort();
                return false;
            }
        }

        var keepAlive = _connection.KeepAlive && await _connection.BodyReader.DrainAsync(CancellationToken.None).ConfigureAwait(false);
        _connection.KeepAlive = keepAlive;
        if (!keepAlive && Output.HasData)
        {
            await _connection.FlushOutputAsync(CancellationToken.None).ConfigureAwait(false);
        }

        return keepAlive;
    }

    /// <summary>Writes the 101 head of a protocol switch (the handler's headers and the new protocol's); what follows is not HTTP.</summary>
    public void WriteSwitchingProtocols()
    {
        Http1ResponseHead.Validate(_response, null, 0, suppressBody: true);
        _started = true;
        _connection.KeepAlive = false;
        Http1ResponseHead.WriteSwitchingProtocols(Output, _response, _service.Heartbeat.DateHeader, _service.Options.ServerHeader);
    }

    /// <summary>Writes a cached response (pre-encoded head, then Date and the connection's own Connection line).</summary>
    public async ValueTask WriteCachedAsync(ResponseCacheEntry entry)
    {
        var keepAlive = _connection.KeepAlive && !_connection.CloseRequested;
        _connection.KeepAlive = keepAlive;
        Http1CachedResponse.Write(Output, entry, _service.Heartbeat.DateHeader, keepAlive, _connection.Framing.Version, _connection.Framing.IsHead);
        if (!keepAlive)
        {
            await _connection.FlushOutputAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The connection is closing: gives back what is held.</summary>
    public void Release()
    {
        _body.Clear();
        if (_pendingFile is { } pending)
        {
            _pendingFile = null;
            pending.File.Release();
        }
    }

    private void ThrowIfWriting()
    {
        if (_inFlight is { IsCompleted: false })
        {
            throw new InvalidOperationException("A previous write of this response has not completed: await WriteAsync, FlushAsync and SendFileAsync before the next write.");
        }
    }

    private ValueTask Track(ValueTask write)
    {
        if (write.IsCompletedSuccessfully)
        {
            write.GetAwaiter().GetResult();
            return default;
        }

        var task = write.AsTask();
        _inFlight = task;
        return new ValueTask(task);
    }

    private async ValueTask FlushCoreAsync(CancellationToken cancellationToken)
    {
        if (!_started)
        {
            WriteResponseHead(final: false);
        }

        if (_pendingFile is not null)
        {
            await SendPendingFileAsync(cancellationToken).ConfigureAwait(false);
        }

        await _connection.FlushOutputAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask WriteAfterFileAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await SendPendingFileAsync(cancellationToken).ConfigureAwait(false);
        WriteBodyBytes(data.Span);
        if (Output.Length > ResponseBufferLimit)
        {
            await _connection.FlushOutputAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask SendFileCoreAsync(string path, long offset, long? count, CancellationToken cancellationToken)
    {
        // One shared handle per file (Caching/OpenFileCache): opening per send costs an flock on Unix that scales badly.
        OpenFile? file = _service.OpenFiles.Acquire(path, _service.Heartbeat.Now);
        try
        {
            var length = file.Length;
            ArgumentOutOfRangeException.ThrowIfNegative(offset);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(offset, length);
            var toSend = count ?? length - offset;
            ArgumentOutOfRangeException.ThrowIfGreaterThan(toSend, length - offset, nameof(count));
            if (toSend == 0)
            {
                return;
            }

            if (_response.ContentLength is { } declared && _bytesWritten + toSend > declared)
            {
                throw new InvalidOperationException($"Response Content-Length mismatch: too many bytes written ({_bytesWritten + toSend} of {declared}).");
            }

            if (_suppressBody || IsBodyless(_response.StatusCode))
            {
                _bytesWritten += toSend;
                return;
            }

            // Small files join the buffered response so it leaves in one write (and stays cacheable).
            if (!_started && (_body.Length + toSend <= SmallFileLimit || _cache.KeepBuffering(_response, _body.Length + toSend)))
            {
                await Http1FileSender.ReadIntoAsync(_body, file.Handle, offset, (int)toSend, cancellationToken).ConfigureAwait(false);
                _bytesWritten += toSend;
                return;
            }

            if (_pendingFile is not null)
            {
                await SendPendingFileAsync(cancellationToken).ConfigureAwait(false);
            }

            if (!_started)
            {
                WriteResponseHead(final: false);
            }

            _pendingFile = (file, offset, toSend);
            _bytesWritten += toSend;
            file = null;
        }
        finally
        {
            file?.Release();
        }
    }

    private async ValueTask SendPendingFileAsync(CancellationToken cancellationToken)
    {
        var (file, offset, count) = _pendingFile!.Value;
        _pendingFile = null;
        try
        {
            if (_chunked || _connection.Stream is not NetworkStream)
            {
                await _files.CopyAsync(file.Handle, offset, count, WriteBodyBytes, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await _files.SendAsync(file.Stream, offset, count, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            file.Release();
        }
    }

    private void WriteBodyBytes(ReadOnlySpan<byte> data)
    {
        if (_chunked)
        {
            ChunkFraming.WriteChunk(Output, data);
        }
        else
        {
            Output.Write(data);
        }
    }

    /// <summary>
    /// Commits status and headers. <paramref name="final"/>: the handler is done, so the buffered body is the whole
    /// body and its length is known (Content-Length); otherwise chunked unless the handler declared a length. Throws
    /// <see cref="InvalidOperationException"/> before writing anything when the head is not valid.
    /// </summary>
    private void WriteResponseHead(bool final)
    {
        var response = _response;
        Authentication.ResponseChallenges.Apply(response);
        var status = response.StatusCode;
        var contentLength = Http1ResponseHead.ContentLengthOf(response, final, _bytesWritten);
        Http1ResponseHead.Validate(response, final ? contentLength : null, _bytesWritten, _suppressBody);

        _started = true;
        var keepAlive = _connection.KeepAlive && !response.CloseConnection && !_connection.CloseRequested && !Http1ResponseHead.AsksToClose(response);
        if (!IsBodyless(status) && contentLength is null)
        {
            if (_connection.Framing.Version == HttpVersion.Http11)
            {
                _chunked = !_suppressBody;
            }
            else
            {
                // HTTP/1.0 has no chunking: the body ends when the connection does.
                keepAlive = false;
            }
        }

        _connection.KeepAlive = keepAlive;
        Http1ResponseHead.Write(Output, response, IsBodyless(status) ? null : contentLength, _chunked, keepAlive, _connection.Framing.Version,
            _service.Heartbeat.DateHeader, _service.Options.ServerHeader);
        if (_body.HasData)
        {
            if (_chunked)
            {
                ChunkFraming.WriteSizeLine(Output, (int)_body.Length);
                Output.Append(_body);
                Output.Write("\r\n"u8);
            }
            else
            {
                Output.Append(_body);
            }
        }
    }

    private static bool IsBodyless(int status) => status is < 200 or 204 or 304;
}
