using System.Buffers;
using HttpSysPS.Engine.Handlers;

namespace HttpSysPS.Engine.Http1;

/// <summary>
/// The request body as a read-only stream over the connection's input: Content-Length or chunked framing
/// (RFC 9112 §7.1, strict), MaxRequestBodySize enforcement (413), <c>100 Continue</c> on the first read, and the
/// EntityBody timer armed while waiting for bytes. One instance per connection, reset per request.
/// </summary>
internal sealed class RequestBodyReader : Stream
{
    private const int MaxChunkLineLength = 4096;

    private static readonly byte[] ContinueResponse = "HTTP/1.1 100 Continue\r\n\r\n"u8.ToArray();

    private readonly Http1Connection _connection;
    private Request _request = null!;
    private bool _chunked;
    private long _remaining;      // Content-Length: bytes left; chunked: bytes left in the current chunk
    private ChunkState _state;
    private long _total;
    private bool _done;
    private bool _started;
    private bool _draining;
    private int _trailerBytes;
    private bool _expectContinue;

    public RequestBodyReader(Http1Connection connection) => _connection = connection;

    private enum ChunkState
    {
        Size,
        Data,
        DataEnd,
        Trailers,
    }

    public bool IsComplete => _done;

    public long BytesRead => _total;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _total;
        set => throw new NotSupportedException();
    }

    public void Reset(Request request, in RequestFraming framing)
    {
        _request = request;
        _chunked = framing.Chunked;
        _remaining = framing.Chunked ? 0 : framing.ContentLength ?? 0;
        _state = ChunkState.Size;
        _total = 0;
        _done = !framing.HasBody;
        _started = false;
        _draining = false;
        _trailerBytes = 0;
        _expectContinue = framing.ExpectContinue;
    }

    /// <remarks>Read(Span), ReadByte and CopyTo come here through the base Stream, so they are refused alike.</remarks>
    public override int Read(byte[] buffer, int offset, int count) =>
        _request.AllowSynchronousIO
            ? ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult()
            : throw SynchronousIO.Disallowed("ReadAsync");

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (!_started)
        {
            _started = true;
            _request.BodyReadStarted = true;
            if (!_chunked && _request.MaxRequestBodySize is { } limit && _remaining > limit)
            {
                throw new RequestRejectedException(RequestRejection.EntityTooLarge,
                    $"The request's Content-Length {_remaining} is larger than the request body size limit {limit}.");
            }

            // HTTP.sys sends 100 Continue itself when the application first reads the body (spec §8).
            if (_expectContinue && !_connection.Commit.HasStarted)
            {
                _connection.Output.Write(ContinueResponse);
                await _connection.FlushOutputAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        if (_done || destination.IsEmpty)
        {
            return 0;
        }

        // While draining, the connection's DrainEntityBody deadline (armed once for the whole drain) must stay in
        // force: arming EntityBody per read here would replace it, and disarm all timers between reads.
        if (!_draining)
        {
            _connection.EnterBodyRead();
        }

        try
        {
            while (true)
            {
                var result = await _connection.Input.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                var copied = _chunked ? ReadChunked(ref buffer, destination.Span) : ReadFixed(ref buffer, destination.Span);
                if (copied > 0 || _done)
                {
                    // Mark only what was consumed as examined: bytes after the body (a pipelined next request, or the
                    // rest of a chunk) must stay readable without waiting for the client to send more, which it won't.
                    _connection.Input.AdvanceTo(buffer.Start);
                    Account(copied);
                    return copied;
                }

                // No progress: everything buffered was looked at, so the next read waits for new bytes.
                _connection.Input.AdvanceTo(buffer.Start, buffer.End);

                if (result.IsCompleted)
                {
                    throw new IOException("The client closed the connection before the request body was complete.");
                }
            }
        }
        finally
        {
            if (!_draining)
            {
                _connection.ExitBodyRead();
            }
        }
    }

    /// <summary>
    /// After the response: reads and discards what the handler left of the body, under DrainEntityBody. False when it
    /// cannot be done within the limit (the connection then closes).
    /// </summary>
    public async ValueTask<bool> DrainAsync(CancellationToken cancellationToken)
    {
        if (_done)
        {
            return true;
        }

        if (_connection.Output.HasData)
        {
            await _connection.FlushOutputAsync(CancellationToken.None).ConfigureAwait(false);
        }

        _connection.EnterDrain();

        var scratch = ArrayPool<byte>.Shared.Rent(8192);
        try
        {
            _started = true;
            _draining = true;
            while (!_done)
            {
                await ReadAsync(scratch, cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        catch (IOException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void Account(int copied)
    {
        _total += copied;
        if (_request.MaxRequestBodySize is { } limit && _total > limit)
        {
            throw new RequestRejectedException(RequestRejection.EntityTooLarge,
                $"The total number of bytes read {_total} has exceeded the request body size limit {limit}.");
        }
    }

    private int ReadFixed(ref ReadOnlySequence<byte> buffer, Span<byte> destination)
    {
        var n = (int)Math.Min(Math.Min(buffer.Length, _remaining), destination.Length);
        buffer.Slice(0, n).CopyTo(destination);
        buffer = buffer.Slice(n);
        _remaining -= n;
        _done = _remaining == 0;
        return n;
    }

    /// <summary>Advances through chunk framing; returns data bytes copied. On return <paramref name="buffer"/> starts at the first unconsumed byte.</summary>
    private int ReadChunked(ref ReadOnlySequence<byte> buffer, Span<byte> destination)
    {
        var copied = 0;
        while (!_done)
        {
            switch (_state)
            {
                case ChunkState.Size:
                    if (!TryReadLine(ref buffer, out var line))
                    {
                        return copied;
                    }

                    _remaining = ParseChunkSize(line);
                    _state = _remaining == 0 ? ChunkState.Trailers : ChunkState.Data;
                    break;

                case ChunkState.Data:
                    if (destination.Length == copied || buffer.IsEmpty)
                    {
                        return copied;
                    }

                    var n = (int)Math.Min(Math.Min(buffer.Length, _remaining), destination.Length - copied);
                    buffer.Slice(0, n).CopyTo(destination[copied..]);
                    buffer = buffer.Slice(n);
                    copied += n;
                    _remaining -= n;
                    if (_remaining == 0)
                    {
                        _state = ChunkState.DataEnd;
                    }

                    break;

                case ChunkState.DataEnd:
                    if (buffer.Length < 2)
                    {
                        return copied;
                    }

                    var crlf = buffer.Slice(0, 2).FirstSpan;
                    if (crlf[0] != (byte)'\r' || crlf[1] != (byte)'\n')
                    {
                        throw Bad("chunk data is not followed by CRLF");
                    }

                    buffer = buffer.Slice(2);
                    _state = ChunkState.Size;
                    break;

                case ChunkState.Trailers:
                    if (!TryReadLine(ref buffer, out var trailer))
                    {
                        return copied;
                    }

                    _trailerBytes += (int)trailer.Length + 2;
                    if (_trailerBytes > 16384)
                    {
                        throw Bad("the chunked trailer section is too long");
                    }

                    if (trailer.IsEmpty)
                    {
                        _done = true;
                    }

                    break;
            }
        }

        return copied;
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out line, (byte)'\n'))
        {
            if (buffer.Length > MaxChunkLineLength)
            {
                throw Bad("a chunk-size line is too long");
            }

            return false;
        }

        // Strict CRLF: a bare LF is refused, as in the head.
        if (line.IsEmpty || line.Slice(line.Length - 1).FirstSpan[0] != (byte)'\r')
        {
            throw Bad("a chunk line does not end with CRLF");
        }

        line = line.Slice(0, line.Length - 1);
        if (line.PositionOf((byte)'\r') is not null)
        {
            throw Bad("a bare CR in a chunk line");
        }

        buffer = buffer.Slice(reader.Position);
        return true;
    }

    private static long ParseChunkSize(ReadOnlySequence<byte> line)
    {
        Span<byte> text = stackalloc byte[(int)Math.Min(line.Length, MaxChunkLineLength)];
        line.Slice(0, text.Length).CopyTo(text);
        long size = 0;
        var i = 0;
        for (; i < text.Length && char.IsAsciiHexDigit((char)text[i]); i++)
        {
            // 15 hex digits is already 1 PiB: more is an overflow attempt.
            if (i >= 15)
            {
                throw Bad("the chunk size is too large");
            }

            var c = (char)text[i];
            size = (size << 4) | (long)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }

        if (i == 0)
        {
            throw Bad("the chunk size is not a hexadecimal number");
        }

        // Only chunk extensions may follow, with whitespace only where RFC 9112 §7.1.1 allows it (BWS around ';' and
        // '='): "5 " or "5;a=b " is refused, because a proxy that reads such a line differently smuggles a body past us.
        if (!ChunkExtensionSyntax.IsValid(text[i..]))
        {
            throw Bad("the chunk size is followed by something other than chunk extensions");
        }

        return size;
    }

    private static RequestRejectedException Bad(string what) => new(RequestRejection.BadRequest, "Invalid chunked request body: " + what + ".");
}
