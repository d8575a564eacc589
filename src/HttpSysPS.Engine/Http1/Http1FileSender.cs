using System.Buffers;
using System.Net.Sockets;
using Microsoft.Win32.SafeHandles;

namespace HttpSysPS.Engine.Http1;

/// <summary>
/// How file bytes reach an HTTP/1.1 connection: sendfile(2) from the page cache on a plain TCP connection (corked with
/// the head), a read-and-write copy where the bytes need framing or encryption (chunked, TLS), or a read into the
/// response buffer for small files.
/// </summary>
internal sealed class Http1FileSender
{
    private readonly Http1Connection _connection;
    private readonly ServiceContext _service;

    public Http1FileSender(Http1Connection connection, ServiceContext service)
    {
        _connection = connection;
        _service = service;
    }

    /// <summary>Flushes the buffered output (the head), then sends the range with sendfile(2), corked so both leave in full segments.</summary>
    public async ValueTask SendAsync(FileStream file, long offset, long count, CancellationToken cancellationToken)
    {
        // nginx tcp_nopush: cork while the head and the file go out, so the kernel sends full segments (with
        // TCP_NODELAY alone a 1 MiB send left in ~45% more, smaller segments, and the client paid per segment).
        var corked = SetCork(true);
        try
        {
            await _connection.FlushOutputAsync(cancellationToken).ConfigureAwait(false);
            await SendWithKernelAsync(file, offset, count, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (corked)
            {
                SetCork(false);
            }
        }
    }

    /// <summary>Reads the range in pieces and hands each to <paramref name="frame"/> (chunk framing), flushing after each.</summary>
    public async ValueTask CopyAsync(SafeFileHandle file, long offset, long count, SpanAction frame, CancellationToken cancellationToken)
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

                frame(buffer.AsSpan(0, n));
                await _connection.FlushOutputAsync(cancellationToken).ConfigureAwait(false);
                offset += n;
                count -= n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads <paramref name="count"/> bytes of the file into <paramref name="target"/>.</summary>
    public static async ValueTask ReadIntoAsync(OutputBuffer target, SafeFileHandle file, long offset, int count, CancellationToken cancellationToken)
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

    /// <summary>Frames and buffers one piece of body bytes.</summary>
    public delegate void SpanAction(ReadOnlySpan<byte> data);

    private bool SetCork(bool on)
    {
        // TCP_CORK is Linux-only (IPPROTO_TCP = 6, TCP_CORK = 3); uncorking sends what is left at once.
        if (!OperatingSystem.IsLinux() || _connection.IsUnixSocket)
        {
            return false;
        }

        try
        {
            Span<byte> value = stackalloc byte[4];
            BitConverter.TryWriteBytes(value, on ? 1 : 0);
            _connection.Socket.SetRawSocketOption(6, 3, value);
            return true;
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            return false;
        }
    }

    private async ValueTask SendWithKernelAsync(FileStream file, long offset, long count, CancellationToken cancellationToken)
    {
        // sendfile(2) through SendPacketsAsync: the file goes from the page cache to the socket without a user-space copy.
        _service.CountSendFile();
        while (count > 0)
        {
            var piece = (int)Math.Min(count, 1 << 30);
            var saved = _connection.BeginSend(piece);
            using (var args = new SendPacketsCompletion())
            {
                args.SendPacketsElements = [new SendPacketsElement(file, offset, piece)];
                await args.SendAsync(_connection.Socket, cancellationToken).ConfigureAwait(false);
            }

            _connection.EndSend(saved);
            offset += piece;
            count -= piece;
        }
    }
}
