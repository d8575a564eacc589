using System.Net;
using System.Net.Sockets;
using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Engine.Connections;

/// <summary>
/// Opens and closes listening sockets as prefixes come and go, with HTTP.sys's rule that a prefix opens its port on
/// every address (spec §1.6) — except, as Kestrel does, <c>localhost</c> (both loopbacks) and IP literals (that address).
/// Per port it keeps reference counts of what prefixes need and reconciles the sockets: when any prefix needs the
/// wildcard, only the dual-mode wildcard socket is open (Linux refuses a wildcard and a specific bind on one port).
/// </summary>
internal sealed class EndpointManager
{
    private const int DynamicPortAttempts = 10;

    private readonly object _lock = new();
    private readonly Dictionary<(int Port, string? Socket), PortBinding> _bindings = new();
    private readonly AcceptCallbacks _callbacks;

    /// <param name="onAccepted">Takes each accepted connection; if it throws, that socket is closed and <paramref name="warn"/> told.</param>
    /// <param name="warn">Receives warnings: a missing IPv6 loopback, a failed accepted-callback, running out of descriptors.</param>
    /// <param name="time">The clock for the accept back-off while out of descriptors; null = the system clock.</param>
    public EndpointManager(Action<Socket, ListenEndpoint> onAccepted, Action<string> warn, TimeProvider? time = null)
    {
        _callbacks = new AcceptCallbacks(onAccepted, warn, time ?? TimeProvider.System, new DescriptorReserve());
    }

    /// <summary>Opens what <paramref name="prefix"/> needs. For port 0, <paramref name="dynamicPort"/> reuses a port chosen earlier for the same listener.</summary>
    /// <returns>The prefix with its real port.</returns>
    public UrlPrefix Acquire(UrlPrefix prefix, int? dynamicPort)
    {
        lock (_lock)
        {
            try
            {
                if (prefix.IsDynamicPort && dynamicPort is { } chosen)
                {
                    prefix = prefix.WithPort(chosen);
                }

                if (!prefix.IsDynamicPort)
                {
                    AcquireFixed(prefix);
                    return prefix;
                }

                for (var attempt = 1; ; attempt++)
                {
                    var binding = new PortBinding(prefix.Scheme);
                    binding.Add(prefix);
                    try
                    {
                        var port = binding.OpenDynamic(_callbacks);
                        _bindings[(port, null)] = binding;
                        return prefix.WithPort(port);
                    }
                    catch (HttpSysException) when (attempt < DynamicPortAttempts)
                    {
                        // The second address of the pair (e.g. ::1 after 127.0.0.1) was taken on the chosen port: pick another.
                    }
                }
            }
            finally
            {
                KeepReserveWhileListening();
            }
        }
    }

    /// <summary>Drops what <paramref name="resolved"/> needed; closes sockets nobody needs. Returns the closed endpoints.</summary>
    public IReadOnlyList<ListenEndpoint> Release(UrlPrefix resolved)
    {
        lock (_lock)
        {
            var key = (resolved.Port, resolved.UnixSocketPath);
            if (!_bindings.TryGetValue(key, out var binding))
            {
                return [];
            }

            binding.Remove(resolved);
            var closed = binding.Reconcile(_callbacks, resolved.Port);
            if (binding.IsEmpty)
            {
                _bindings.Remove(key);
            }

            KeepReserveWhileListening();
            return closed;
        }
    }

    /// <summary>Every open listening endpoint.</summary>
    public IReadOnlyList<ListenEndpoint> Endpoints
    {
        get
        {
            lock (_lock)
            {
                return _bindings.Values.SelectMany(b => b.Listeners).ToArray();
            }
        }
    }

    /// <summary>The descriptor reserve is held while anything listens, and given back when nothing does.</summary>
    private void KeepReserveWhileListening()
    {
        if (_bindings.Count == 0)
        {
            _callbacks.Reserve.Close();
        }
        else
        {
            _callbacks.Reserve.Open();
        }
    }

    private void AcquireFixed(UrlPrefix prefix)
    {
        var key = (prefix.Port, prefix.UnixSocketPath);
        if (!_bindings.TryGetValue(key, out var binding))
        {
            binding = new PortBinding(prefix.Scheme);
            _bindings[key] = binding;
        }
        else if (binding.Scheme != prefix.Scheme)
        {
            throw new HttpSysException(HttpSysErrorReason.SchemePortConflict,
                $"Port {prefix.Port} already serves {binding.Scheme}; HTTP and HTTPS cannot share a port ('{prefix}').");
        }

        binding.Add(prefix);
        try
        {
            binding.Reconcile(_callbacks, prefix.Port);
        }
        catch
        {
            binding.Remove(prefix);
            binding.Reconcile(_callbacks, prefix.Port);
            if (binding.IsEmpty)
            {
                _bindings.Remove(key);
            }

            throw;
        }
    }

    /// <summary>What the prefixes on one port (or one Unix socket) need, and the sockets open for them.</summary>
    private sealed class PortBinding(string scheme)
    {
        private readonly Dictionary<IPAddress, int> _addressRefs = new();
        private int _wildcardRefs;
        private int _localhostRefs;
        private int _unixRefs;
        private string? _unixPath;

        public string Scheme { get; } = scheme;

        public List<ListenEndpoint> Listeners { get; } = new();

        public bool IsEmpty => _wildcardRefs == 0 && _localhostRefs == 0 && _unixRefs == 0 && _addressRefs.Count == 0;

        public void Add(UrlPrefix prefix) => Count(prefix, +1);

        public void Remove(UrlPrefix prefix) => Count(prefix, -1);

        /// <summary>Binds port 0 on the first needed address, then the rest on the port the OS chose.</summary>
        public int OpenDynamic(AcceptCallbacks callbacks)
        {
            var wanted = Desired();
            var first = Open(wanted[0].Address, 0, callbacks);
            Listeners.Add(first);
            try
            {
                foreach (var (address, optional) in wanted.Skip(1))
                {
                    TryOpen(address, first.Port, optional, callbacks);
                }
            }
            catch
            {
                CloseAll();
                throw;
            }

            return first.Port;
        }

        /// <summary>Closes sockets no longer wanted, then opens missing ones (closing first: a wildcard cannot join a specific bind).</summary>
        public IReadOnlyList<ListenEndpoint> Reconcile(AcceptCallbacks callbacks, int port)
        {
            if (_unixPath is not null || (_unixRefs == 0 && Listeners.Any(l => l.UnixSocketPath is not null)))
            {
                return ReconcileUnix(callbacks);
            }

            var wanted = IsEmpty ? [] : Desired();
            var closed = Listeners.Where(l => !wanted.Any(w => w.Address.Equals(l.Address))).ToList();
            foreach (var listener in closed)
            {
                listener.Close();
                Listeners.Remove(listener);
            }

            foreach (var (address, optional) in wanted)
            {
                if (!Listeners.Any(l => address.Equals(l.Address)))
                {
                    TryOpen(address, port, optional, callbacks);
                }
            }

            return closed;
        }

        private IReadOnlyList<ListenEndpoint> ReconcileUnix(AcceptCallbacks callbacks)
        {
            if (_unixRefs == 0)
            {
                var closed = Listeners.ToList();
                CloseAll();
                _unixPath = null;
                return closed;
            }

            if (Listeners.Count == 0)
            {
                Listeners.Add(OpenUnix(_unixPath!, callbacks));
            }

            return [];
        }

        private void CloseAll()
        {
            foreach (var listener in Listeners)
            {
                listener.Close();
            }

            Listeners.Clear();
        }

        private void TryOpen(IPAddress address, int port, bool optional, AcceptCallbacks callbacks)
        {
            try
            {
                Listeners.Add(Open(address, port, callbacks));
            }
            catch (SocketException e) when (optional && e.SocketErrorCode is SocketError.AddressNotAvailable or SocketError.AddressFamilyNotSupported)
            {
                callbacks.Warn($"IPv6 loopback is not available; localhost:{port} listens on 127.0.0.1 only.");
            }
        }

        private List<(IPAddress Address, bool Optional)> Desired()
        {
            if (_wildcardRefs > 0)
            {
                return [(Socket.OSSupportsIPv6 ? IPAddress.IPv6Any : IPAddress.Any, false)];
            }

            var wanted = _addressRefs.Keys.Select(a => (a, false)).ToList();
            if (_localhostRefs > 0)
            {
                if (!_addressRefs.ContainsKey(IPAddress.Loopback))
                {
                    wanted.Insert(0, (IPAddress.Loopback, false));
                }

                if (Socket.OSSupportsIPv6 && !_addressRefs.ContainsKey(IPAddress.IPv6Loopback))
                {
                    wanted.Add((IPAddress.IPv6Loopback, true));
                }
            }

            return wanted;
        }

        private void Count(UrlPrefix prefix, int delta)
        {
            if (prefix.UnixSocketPath is not null)
            {
                _unixRefs += delta;
                _unixPath = prefix.UnixSocketPath;
                return;
            }

            switch (prefix.Category)
            {
                case HostCategory.IPBound:
                    var address = prefix.Address!;
                    var refs = _addressRefs.GetValueOrDefault(address) + delta;
                    if (refs == 0)
                    {
                        _addressRefs.Remove(address);
                    }
                    else
                    {
                        _addressRefs[address] = refs;
                    }

                    break;
                case HostCategory.Explicit when prefix.Host == "localhost":
                    _localhostRefs += delta;
                    break;
                default:
                    _wildcardRefs += delta;
                    break;
            }
        }

        private ListenEndpoint Open(IPAddress address, int port, AcceptCallbacks callbacks)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                if (address.Equals(IPAddress.IPv6Any))
                {
                    socket.DualMode = true;
                }

                socket.Bind(new IPEndPoint(address, port));
                socket.Listen(1024);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                socket.Dispose();
                throw new HttpSysException(HttpSysErrorReason.PortInUse,
                    $"Port {port} on {FormatAddress(address)} is in use by another process (HTTP.sys: ERROR_SHARING_VIOLATION).", e);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AccessDenied)
            {
                socket.Dispose();
                throw new HttpSysException(HttpSysErrorReason.AccessDenied,
                    $"Binding port {port} on {FormatAddress(address)} was denied by the operating system (ports below 1024 need root or CAP_NET_BIND_SERVICE).", e);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            var endpoint = new ListenEndpoint(socket, Scheme, address, null);
            endpoint.StartAccepting(callbacks);
            return endpoint;
        }

        private ListenEndpoint OpenUnix(string path, AcceptCallbacks callbacks)
        {
            RemoveStaleSocketFile(path);
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                socket.Bind(new UnixDomainSocketEndPoint(path));
                socket.Listen(1024);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                socket.Dispose();
                throw new HttpSysException(HttpSysErrorReason.PortInUse, $"The Unix socket '{path}' is in use by another process.", e);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            var endpoint = new ListenEndpoint(socket, Scheme, null, path);
            endpoint.StartAccepting(callbacks);
            return endpoint;
        }

        private static void RemoveStaleSocketFile(string path)
        {
            if (!File.Exists(path))
            {
                return;
            }

            using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                probe.Connect(new UnixDomainSocketEndPoint(path));
            }
            catch (SocketException)
            {
                // Nobody listens: a leftover from a process that died. Safe to replace.
                File.Delete(path);
                return;
            }

            throw new HttpSysException(HttpSysErrorReason.PortInUse, $"The Unix socket '{path}' is in use by another process.");
        }

        private static string FormatAddress(IPAddress address) =>
            address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Any) ? "all addresses" : address.ToString();
    }
}
