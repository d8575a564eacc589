using System.Net;
using System.Net.Sockets;

namespace HttpSysPS.Engine.Connections;

/// <summary>
/// One listening socket and its accept loop. The loop ends only when the endpoint closes: a connection the server
/// fails to set up is closed and reported, and running out of file descriptors makes it wait and retry.
/// </summary>
internal sealed class ListenEndpoint
{
    /// <summary>First wait after accept failed for want of descriptors or memory; doubled per failure up to <see cref="MaxBackoff"/>.</summary>
    internal static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(10);

    /// <summary>Longest wait between accept attempts while out of descriptors: recovery is noticed within a second.</summary>
    internal static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

    /// <summary>Linux ENOMEM: not mapped to a <see cref="SocketError"/> by .NET, so recognised by its number.</summary>
    private const int ENOMEM = 12;

    private readonly Socket _socket;
    private readonly CancellationTokenSource _closing = new();

    public ListenEndpoint(Socket socket, string scheme, IPAddress? address, string? unixSocketPath)
    {
        _socket = socket;
        Scheme = scheme;
        Address = address;
        UnixSocketPath = unixSocketPath;
        LocalEndPoint = socket.LocalEndPoint!;
    }

    public string Scheme { get; }

    /// <summary>The bound address (IPv6Any for the dual-mode wildcard); null for a Unix socket.</summary>
    public IPAddress? Address { get; }

    public string? UnixSocketPath { get; }

    public EndPoint LocalEndPoint { get; }

    public int Port => (LocalEndPoint as IPEndPoint)?.Port ?? 0;

    public bool IsClosed { get; private set; }

    public void StartAccepting(AcceptCallbacks callbacks) => _ = AcceptLoopAsync(callbacks);

    public void Close()
    {
        IsClosed = true;
        _closing.Cancel();
        _socket.Dispose();
        if (UnixSocketPath is not null)
        {
            try
            {
                File.Delete(UnixSocketPath);
            }
            catch (IOException)
            {
                // Best effort: a leftover socket file is removed at the next bind.
            }
        }
    }

    public override string ToString() => LocalEndPoint.ToString() ?? Scheme;

    /// <summary>
    /// Out of descriptors (EMFILE, ENFILE) or kernel memory (ENOBUFS, ENOMEM). The pending connection stays in the
    /// backlog, so the socket is readable again at once: retrying straight away would spin a core until a descriptor
    /// frees, which is exactly when the process needs its CPU to finish the connections it has.
    /// </summary>
    private static bool IsResourceExhaustion(SocketException e) =>
        e.SocketErrorCode is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable
        || (OperatingSystem.IsLinux() && e.NativeErrorCode == ENOMEM);

    private async Task AcceptLoopAsync(AcceptCallbacks callbacks)
    {
        var backoff = TimeSpan.Zero;
        while (!IsClosed)
        {
            // Short of descriptors: accept again only once the reserve, and the spares an accept must leave, are free.
            if (backoff != TimeSpan.Zero && !callbacks.Reserve.TryReclaim(DescriptorReserve.Spare + 1))
            {
                backoff = Longer(backoff);
                if (!await DelayAsync(callbacks, backoff).ConfigureAwait(false))
                {
                    return;
                }

                continue;
            }

            Socket client;
            try
            {
                client = await _socket.AcceptAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (IsClosed)
            {
                return;
            }
            catch (SocketException e) when (IsResourceExhaustion(e))
            {
                if (backoff == TimeSpan.Zero)
                {
                    // Once per episode: the retries below would otherwise flood the log at up to 100 lines a second.
                    WarnPaused(callbacks, $"{e.Message} ({e.SocketErrorCode})");
                }

                // The process needs descriptors to carry on (the runtime cannot start a thread without them): lend it the reserve.
                callbacks.Reserve.Lend();
                backoff = Longer(backoff);
                if (!await DelayAsync(callbacks, backoff).ConfigureAwait(false))
                {
                    return;
                }

                continue;
            }
            catch (SocketException)
            {
                // A connection reset before accept completed (ECONNABORTED): keep accepting.
                continue;
            }

            if (backoff != TimeSpan.Zero)
            {
                backoff = TimeSpan.Zero;
                Warn(callbacks, $"Accepting connections on {this} works again.");
            }

            // This accept may have left the process nearly out of descriptors. Lend the reserve now, before the runtime
            // needs one (a thread start would abort the process), rather than at the next accept's EMFILE; then wait.
            if (!callbacks.Reserve.HasSpareAfter((long)client.SafeHandle.DangerousGetHandle()))
            {
                WarnPaused(callbacks, "the process is almost out of file descriptors");
                callbacks.Reserve.Lend();
                backoff = MinBackoff;
            }

            try
            {
                callbacks.OnAccepted(client, this);
            }
            catch (Exception e)
            {
                // One connection the server could not set up must not end accepting on this port for good.
                client.Dispose();
                Warn(callbacks, $"A connection accepted on {this} was closed: setting it up failed: {e.GetType().Name}: {e.Message}");
            }
        }
    }

    /// <summary>The next back-off step: 10 ms, doubling, at most 1 s.</summary>
    private static TimeSpan Longer(TimeSpan backoff) =>
        backoff == TimeSpan.Zero ? MinBackoff : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));

    /// <summary>Waits <paramref name="delay"/> on the injected clock. False when the endpoint closed meanwhile.</summary>
    private async Task<bool> DelayAsync(AcceptCallbacks callbacks, TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, callbacks.Time, _closing.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void WarnPaused(AcceptCallbacks callbacks, string reason) =>
        Warn(callbacks, $"Accepting connections on {this} paused: {reason}. Retrying every {MinBackoff.TotalMilliseconds:0} ms to {MaxBackoff.TotalSeconds:0} s until resources are free; raise the open-files limit (ulimit -n) if this recurs.");

    private static void Warn(AcceptCallbacks callbacks, string message)
    {
        try
        {
            callbacks.Warn(message);
        }
        catch (Exception)
        {
            // A failing event sink must not end the accept loop either.
        }
    }
}
