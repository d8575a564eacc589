using System.Net.Sockets;

namespace HttpSysPS.Engine.Connections;

/// <summary>
/// A few file descriptors (unconnected Unix sockets: two syscalls to open and close, no file lock) held while the
/// server listens, so that running out of descriptors never leaves the process with none. At EMFILE the .NET runtime
/// cannot even start a thread (thread start opens files and a pipe) and aborts the process with "Out of memory.". So
/// when an accept leaves fewer than <see cref="Spare"/> descriptors free, or accept fails for want of one, the accept
/// loop lends this reserve to the process and accepts again only once it can reclaim the reserve plus the spares
/// (libuv's and nginx's spare descriptor, kept as headroom instead of spent on one more accept). Resuming needs
/// <c>DefaultSize + Spare + 1</c> free descriptors, which closing connections (or their idle timer) gives back.
/// </summary>
internal sealed class DescriptorReserve
{
    /// <summary>Descriptors held: room for a few new threads (a pipe each, briefly), assembly loads and files handlers open.</summary>
    public const int DefaultSize = 16;

    /// <summary>
    /// Descriptors that must stay free after an accept: what the runtime needs at once to start a thread (it reads two
    /// /proc and /sys files and opens a pipe), so that it never meets EMFILE before the accept loop has lent the reserve.
    /// </summary>
    public const int Spare = 4;

    private readonly object _lock = new();
    private readonly List<Socket> _held = new();
    private readonly int _size;
    private bool _wanted;
    private long _highest = -1;

    /// <param name="size">Descriptors to hold; Windows holds none (its handles are not limited this way).</param>
    public DescriptorReserve(int size = DefaultSize) => _size = OperatingSystem.IsWindows() ? 0 : size;

    /// <summary>The server listens: hold the reserve (as much of it as the process can give now).</summary>
    public void Open()
    {
        lock (_lock)
        {
            _wanted = true;
            TryFill(spare: 0);
        }
    }

    /// <summary>The server listens no more: give every descriptor back.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _wanted = false;
            CloseAll();
        }
    }

    /// <summary>
    /// After an accept that returned descriptor number <paramref name="descriptor"/>: true when the process still has
    /// <see cref="Spare"/> descriptors free beyond the reserve. Linux hands out the lowest free number, so only a number
    /// above every one seen so far means the table grew; only then are the spares opened and closed to see (an accept
    /// that reuses a number costs nothing). False means the accept loop should pause and lend the reserve.
    /// </summary>
    public bool HasSpareAfter(long descriptor)
    {
        if (_size == 0)
        {
            return true;
        }

        var highest = Interlocked.Read(ref _highest);
        while (descriptor > highest)
        {
            var seen = Interlocked.CompareExchange(ref _highest, descriptor, highest);
            if (seen == highest)
            {
                return TryProbe(Spare);
            }

            highest = seen;
        }

        return true;
    }

    /// <summary>Descriptors are short: close the reserve so the process can carry on meanwhile.</summary>
    public void Lend()
    {
        lock (_lock)
        {
            CloseAll();

            // Descriptors freed later are reused from the bottom: watch the table grow again from there.
            Interlocked.Exchange(ref _highest, -1);
        }
    }

    /// <summary>
    /// Takes the whole reserve back and checks that <paramref name="spare"/> more descriptors are free (opened and closed
    /// again). False, holding nothing, when the process is still short: holding part of it would only move the shortage.
    /// </summary>
    public bool TryReclaim(int spare)
    {
        lock (_lock)
        {
            return !_wanted || TryFill(spare);
        }
    }

    private static bool TryProbe(int count)
    {
        var probes = new List<Socket>(count);
        try
        {
            while (probes.Count < count)
            {
                probes.Add(NewDescriptor());
            }

            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            foreach (var probe in probes)
            {
                probe.Dispose();
            }
        }
    }

    private static Socket NewDescriptor() => new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

    private bool TryFill(int spare)
    {
        try
        {
            while (_held.Count < _size)
            {
                _held.Add(NewDescriptor());
            }
        }
        catch (SocketException)
        {
            CloseAll();
            return false;
        }

        if (_size > 0 && !TryProbe(spare))
        {
            CloseAll();
            return false;
        }

        return true;
    }

    private void CloseAll()
    {
        foreach (var socket in _held)
        {
            socket.Dispose();
        }

        _held.Clear();
    }
}
