using System.Buffers;
using System.Buffers.Text;
using System.Net.Sockets;
using System.Text;
using HttpSysPS.Engine.Timeouts;

namespace HttpSysPS.Engine.Http1;

/// <summary>The response half of <see cref="Http1Connection"/>: framing decisions and writes.</summary>
internal sealed partial class Http1Connection
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();

    public ValueTask WriteBodyAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (data.IsEmpty)
        {
            return default;
        }

        if (_response.ContentLength is { } declared && _bodyBytesWritten + data.Length > declared)
        {
            throw new InvalidOperationException($"Response Content-Length mismatch: too many bytes written ({_bodyBytesWritten + data.Length} of {declared}).");
        }

        _bodyBytesWritten += data.Length;
        if (_suppressBody || IsBodyless(_response.StatusCode))
        {
            return default;
        }

        if (!_responseStarted)
        {
            _body.Write(data.Span);
            return _body.Length > ResponseBufferLimit && !KeepBufferingForCache(_body.Length) ? FlushAsync(cancellationToken) : default;
        }

        WriteBodyBytes(data.Span);
        return _output.Length > ResponseBufferLimit ? FlushOutputAsync(cancellationToken) : default;
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (!_responseStarted)
        {
            WriteResponseHead(final: false);
        }

        await FlushOutputAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken)
    {
        // One shared handle per file (Caching/OpenFileCache): opening per send costs an flock on Unix that scales badly.
        var file = _server.OpenFiles.Acquire(path, _server.Heartbeat.Now);
        try
        {
            await SendOpenFileAsync(file, offset, count, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            file.Release();
        }
    }

    private async Task SendOpenFileAsync(Caching.OpenFile file, long offset, long? count, CancellationToken cancellationToken)
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

        if (_response.ContentLength is { } declared && _bodyBytesWritten + toSend > declared)
        {
            throw new InvalidOperationException($"Response Content-Length mismatch: too many bytes written ({_bodyBytesWritten + toSend} of {declared}).");
        }

        if (_suppressBody || IsBodyless(_response.StatusCode))
        {
            _bodyBytesWritten += toSend;
            return;
        }

        // Small files join the buffered response so it leaves in one write (and stays cacheable).
        if (!_responseStarted && (_body.Length + toSend <= SmallFileLimit || KeepBufferingForCache(_body.Length + toSend)))
        {
            await ReadFileIntoAsync(_body, file.Handle, offset, (int)toSend, cancellationToken).ConfigureAwait(false);
            _bodyBytesWritten += toSend;
            return;
        }

        if (!_responseStarted)
        {
            WriteResponseHead(final: false);
        }

        if (_chunkedResponse || _stream is not System.Net.Sockets.NetworkStream)
        {
            await CopyFileAsync(file.Handle, offset, toSend, cancellationToken).ConfigureAwait(false);
            return;
        }

        // nginx tcp_nopush: cork while the head and the file go out, so the kernel sends full segments (with
        // TCP_NODELAY alone a 1 MiB send left in ~45% more, smaller segments, and the client paid per segment).
        var corked = SetCork(true);
        try
        {
            await FlushOutputAsync(cancellationToken).ConfigureAwait(false);
            await SendFileWithKernelAsync(file.Stream, offset, toSend, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (corked)
            {
                SetCork(false);
            }
        }
    }

    private bool SetCork(bool on)
    {
        // TCP_CORK is Linux-only (IPPROTO_TCP = 6, TCP_CORK = 3); uncorking sends what is left at once.
        if (!OperatingSystem.IsLinux() || _endpoint.UnixSocketPath is not null)
        {
            return false;
        }

        try
        {
            Span<byte> value = stackalloc byte[4];
            BitConverter.TryWriteBytes(value, on ? 1 : 0);
            _socket.SetRawSocketOption(6, 3, value);
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    private async ValueTask SendFileWithKernelAsync(FileStream file, long offset, long count, CancellationToken cancellationToken)
    {
        // sendfile(2) through SendPacketsAsync: the file goes from the page cache to the socket without a user-space copy.
        Interlocked.Increment(ref _server.SendFileCounter);
        while (count > 0)
        {
            var piece = (int)Math.Min(count, 1 << 30);
            var previous = _phase;
            var previousDeadline = _deadline;
            var previousReason = _deadlineReason;
            SetPhase(Connections.ConnectionPhase.Sending, _timers.SendAllowance(piece), TimeoutReason.MinSendRate);
            using (var args = new SendPacketsCompletion())
            {
                args.SendPacketsElements = [new SendPacketsElement(file, offset, piece)];
                await args.SendAsync(_socket, cancellationToken).ConfigureAwait(false);
            }

            RestorePhase(previous, previousDeadline, previousReason);
            offset += piece;
            count -= piece;
            _bodyBytesWritten += piece;
        }
    }

    private async ValueTask CopyFileAsync(Microsoft.Win32.SafeHandles.SafeFileHandle file, long offset, long count, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (count > 0)
            {
                var n = await RandomAccess.ReadAsync(file, buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), offset, cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    throw new IOException("The file became shorter while it was being sent.");
                }

                _bodyBytesWritten += n;
                WriteBodyBytes(buffer.AsSpan(0, n));
                await FlushOutputAsync(cancellationToken).ConfigureAwait(false);
                offset += n;
                count -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async ValueTask ReadFileIntoAsync(OutputBuffer target, Microsoft.Win32.SafeHandles.SafeFileHandle file, long offset, int count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            var memory = target.GetMemory(Math.Min(count, 16 * 1024));
            var n = await RandomAccess.ReadAsync(file, memory[..Math.Min(memory.Length, count)], offset, cancellationToken).ConfigureAwait(false);
            if (n == 0)
            {
                throw new IOException("The file became shorter while it was being sent.");
            }

            target.Advance(n);
            offset += n;
            count -= n;
        }
    }

    private void WriteBodyBytes(ReadOnlySpan<byte> data)
    {
        if (_chunkedResponse)
        {
            WriteChunkHeader(data.Length);
            _output.Write(data);
            _output.Write(Crlf);
        }
        else
        {
            _output.Write(data);
        }
    }

    private void WriteChunkHeader(int length)
    {
        var span = _output.GetSpan(10);
        length.TryFormat(span, out var n, "x");
        span[n++] = (byte)'\r';
        span[n++] = (byte)'\n';
        _output.Advance(n);
    }

    /// <summary>
    /// Commits status and headers. <paramref name="final"/>: the handler is done, so the buffered body is the whole
    /// body and its length is known (Content-Length); otherwise chunked unless the handler declared a length.
    /// </summary>
    private void WriteResponseHead(bool final)
    {
        _responseStarted = true;
        var response = _response;
        var status = response.StatusCode;
        var bodyless = IsBodyless(status);
        if (response.CloseConnection || Volatile.Read(ref _closeRequested))
        {
            _keepAlive = false;
        }

        long? contentLength = null;
        if (!bodyless)
        {
            if (response.ContentLength is { } declared)
            {
                contentLength = declared;
            }
            else if (response.Headers.TryGetValue("Content-Length", out var text) && long.TryParse(text, out var parsed) && parsed >= 0)
            {
                contentLength = parsed;
            }
            else if (final)
            {
                contentLength = _bodyBytesWritten;
            }
            else if (_framing.Version == HttpVersion.Http11)
            {
                _chunkedResponse = !_suppressBody;
                contentLength = null;
            }
            else
            {
                // HTTP/1.0 has no chunking: the body ends when the connection does.
                _keepAlive = false;
            }
        }

        if (final && contentLength is { } length && length != _bodyBytesWritten && !_suppressBody)
        {
            throw new InvalidOperationException($"Response Content-Length mismatch: {_bodyBytesWritten} bytes written, {length} declared.");
        }

        var output = _output;
        WriteStatusLine(status, response.ReasonPhrase);
        output.Write(_server.Heartbeat.DateHeader);
        var hasServer = false;
        var headers = response.Headers;
        for (var i = 0; i < headers.Count; i++)
        {
            var name = headers.NameAt(i);
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) ||
                name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) ||
                name.Equals("Date", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                if (headers.ValueAt(i).Contains("close", StringComparison.OrdinalIgnoreCase))
                {
                    _keepAlive = false;
                }

                continue;
            }

            hasServer |= name.Equals("Server", StringComparison.OrdinalIgnoreCase);
            WriteHeader(name, headers.ValueAt(i));
        }

        if (!hasServer && _server.Options.ServerHeader is { } server)
        {
            WriteHeader("Server", server);
        }

        if (contentLength is { } cl)
        {
            output.Write("Content-Length: "u8);
            var span = output.GetSpan(20);
            Utf8Formatter.TryFormat(cl, span, out var n);
            output.Advance(n);
            output.Write(Crlf);
        }
        else if (_chunkedResponse)
        {
            output.Write("Transfer-Encoding: chunked\r\n"u8);
        }

        if (!_keepAlive)
        {
            output.Write("Connection: close\r\n"u8);
        }
        else if (_framing.Version == HttpVersion.Http10)
        {
            output.Write("Connection: keep-alive\r\n"u8);
        }

        output.Write(Crlf);
        if (_body.HasData)
        {
            if (_chunkedResponse)
            {
                WriteChunkHeader((int)_body.Length);
                output.Append(_body);
                output.Write(Crlf);
            }
            else
            {
                output.Append(_body);
            }
        }
    }

    private void WriteStatusLine(int status, string? reason)
    {
        if (status == 200 && reason is null)
        {
            _output.Write("HTTP/1.1 200 OK\r\n"u8);
            return;
        }

        _output.Write("HTTP/1.1 "u8);
        var span = _output.GetSpan(3);
        Utf8Formatter.TryFormat(status, span, out var n);
        _output.Advance(n);
        _output.Write(" "u8);
        WriteAscii(reason ?? ReasonPhrases.For(status), "ReasonPhrase");
        _output.Write(Crlf);
    }

    private void WriteHeader(string name, string value)
    {
        WriteAscii(name, "header name");
        _output.Write(": "u8);
        WriteAscii(value, name);
        _output.Write(Crlf);
    }

    private void WriteAscii(string text, string what)
    {
        // Response splitting guard: CR, LF and NUL never reach the wire.
        if (text.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
        {
            throw new InvalidOperationException($"The response {what} contains CR, LF or NUL.");
        }

        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        var span = _output.GetSpan(max);
        var n = Encoding.UTF8.GetBytes(text, span);
        _output.Advance(n);
    }

    private static bool IsBodyless(int status) => status is < 200 or 204 or 304;
}
