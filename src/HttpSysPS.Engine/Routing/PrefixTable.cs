using System.Globalization;
using System.Net;
using System.Text;

namespace HttpSysPS.Engine.Routing;

/// <summary>
/// The HTTP.sys routing table: URL prefix registrations (pointing at a target, the engine's URL group) and URL
/// reservations, and the per-request decision which target gets a request (spec §1.2, §1.3, §1.5; docs/routing.md).
/// </summary>
/// <remarks>
/// Routing walks the host buckets in HTTP.sys order — <c>+</c>, explicit host name, IP-bound, <c>*</c> — and the first
/// bucket with an entry whose host and whole-segment path match wins, with the longest path inside that bucket;
/// lower buckets are never consulted, so a <c>+</c> prefix for <c>/</c> beats an explicit host's <c>/api/</c>.
/// Reservations take part like registrations: a winning reservation without a registration black-holes the request.
/// <para>
/// Thread safety: writers serialise on a lock and publish a new immutable snapshot; <see cref="Route"/> reads one
/// snapshot without locking and allocates nothing for ASCII Host headers, so a request never sees a half-applied change.
/// </para>
/// </remarks>
/// <typeparam name="TTarget">What a registration points at; <see cref="object.ToString"/> names the owner in conflict messages.</typeparam>
public sealed class PrefixTable<TTarget>
    where TTarget : class
{
    private readonly object _writeLock = new();

    // Master state, only touched under _writeLock. One slot per distinct prefix (UrlPrefix equality is
    // case-insensitive on FullPrefix, which includes the host, so '+' and 'example.com' are different slots).
    private readonly Dictionary<UrlPrefix, Slot> _slots = new();

    private Snapshot _snapshot = new(new(), new(StringComparer.Ordinal), [], []);

    /// <summary>All registrations, sorted by prefix; a snapshot that later changes do not affect.</summary>
    public IReadOnlyList<(UrlPrefix Prefix, TTarget Target)> Registrations => Volatile.Read(ref _snapshot).Registrations;

    /// <summary>All reservations, sorted by prefix; a snapshot that later changes do not affect.</summary>
    public IReadOnlyList<UrlPrefix> Reservations => Volatile.Read(ref _snapshot).Reservations;

    /// <summary>Registers <paramref name="prefix"/> for <paramref name="target"/>.</summary>
    /// <exception cref="ArgumentException">The prefix still has port 0 (resolve it first with <see cref="UrlPrefix.WithPort"/>).</exception>
    /// <exception cref="HttpSysException">
    /// <see cref="HttpSysErrorReason.PrefixConflict"/> when the same prefix (same bucket, host, port and path) is already
    /// registered; <see cref="HttpSysErrorReason.SchemePortConflict"/> when the port (or socket) is used by the other scheme.
    /// </exception>
    public void Register(UrlPrefix prefix, TTarget target)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(target);
        ThrowIfDynamicPort(prefix);

        lock (_writeLock)
        {
            ThrowIfSchemeConflict(prefix);
            if (_slots.TryGetValue(prefix, out var slot))
            {
                if (slot.Target is not null)
                {
                    // HTTP.sys: ERROR_ALREADY_EXISTS (183), checked only inside one host bucket (spec §1.2).
                    throw new HttpSysException(
                        HttpSysErrorReason.PrefixConflict,
                        $"The URL prefix '{prefix}' is already registered by '{slot.Target}' in the {prefix.Category} host bucket.");
                }
            }
            else
            {
                slot = new Slot(prefix);
                _slots.Add(prefix, slot);
            }

            slot.Target = target;
            slot.Prefix = prefix; // route results hand back the registrant's own instance (its base path)
            Publish(EndpointKey.Of(prefix));
        }
    }

    /// <summary>Removes the registration of <paramref name="prefix"/> if <paramref name="target"/> owns it.</summary>
    /// <returns>False when the prefix is not registered or is registered by another target.</returns>
    public bool Unregister(UrlPrefix prefix, TTarget target)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(target);
        lock (_writeLock)
        {
            if (!_slots.TryGetValue(prefix, out var slot) || !ReferenceEquals(slot.Target, target))
            {
                return false;
            }

            slot.Target = null;
            RemoveIfEmpty(slot);
            Publish(EndpointKey.Of(prefix));
            return true;
        }
    }

    /// <summary>Removes every registration owned by <paramref name="target"/> (a URL group being closed).</summary>
    /// <returns>How many registrations were removed.</returns>
    public int UnregisterAll(TTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        lock (_writeLock)
        {
            var owned = new List<Slot>();
            foreach (var slot in _slots.Values)
            {
                if (ReferenceEquals(slot.Target, target))
                {
                    owned.Add(slot);
                }
            }

            if (owned.Count == 0)
            {
                return 0;
            }

            var endpoints = new HashSet<EndpointKey>();
            foreach (var slot in owned)
            {
                slot.Target = null;
                RemoveIfEmpty(slot);
                endpoints.Add(EndpointKey.Of(slot.Prefix));
            }

            Publish(endpoints);
            return owned.Count;
        }
    }

    /// <summary>
    /// Adds a reservation to routing. Reserving a reserved prefix again does nothing (the reservation store, not
    /// the routing table, decides about conflicting ACLs).
    /// </summary>
    /// <exception cref="ArgumentException">The prefix has port 0.</exception>
    /// <exception cref="HttpSysException"><see cref="HttpSysErrorReason.SchemePortConflict"/> when the port is used by the other scheme.</exception>
    public void Reserve(UrlPrefix prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ThrowIfDynamicPort(prefix);
        lock (_writeLock)
        {
            ThrowIfSchemeConflict(prefix);
            if (!_slots.TryGetValue(prefix, out var slot))
            {
                slot = new Slot(prefix);
                _slots.Add(prefix, slot);
            }
            else if (slot.Reserved)
            {
                return;
            }

            slot.Reserved = true;
            Publish(EndpointKey.Of(prefix));
        }
    }

    /// <summary>Removes a reservation from routing; false when it was not reserved.</summary>
    public bool Unreserve(UrlPrefix prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        lock (_writeLock)
        {
            if (!_slots.TryGetValue(prefix, out var slot) || !slot.Reserved)
            {
                return false;
            }

            slot.Reserved = false;
            RemoveIfEmpty(slot);
            Publish(EndpointKey.Of(prefix));
            return true;
        }
    }

    /// <summary>Routes a request that arrived over TCP.</summary>
    /// <param name="scheme"><c>http</c> or <c>https</c>: whether the connection is TLS.</param>
    /// <param name="hostHeader">The Host header value (or the authority of an absolute-form target); empty when absent (HTTP/1.0).</param>
    /// <param name="localAddress">The local address the connection arrived on (IPv4-mapped IPv6 is treated as IPv4); null if unknown.</param>
    /// <param name="localPort">The local port the connection arrived on; the port part of the Host header is ignored.</param>
    /// <param name="cookedPath">The path after <see cref="PathCanonicalizer.TryCanonicalize(string, out string, out UrlRejection)"/>.</param>
    public RouteResult<TTarget> Route(string scheme, ReadOnlySpan<char> hostHeader, IPAddress? localAddress, int localPort, string cookedPath)
    {
        if (!HostHeader.TryParse(hostHeader, out var host))
        {
            return new RouteResult<TTarget>(RouteOutcome.InvalidHostname, null, null);
        }

        var snapshot = Volatile.Read(ref _snapshot);
        if (!snapshot.Ports.TryGetValue(localPort, out var table) || !string.Equals(table.Scheme, scheme, StringComparison.OrdinalIgnoreCase))
        {
            // Nothing for this scheme on this port: no site at all.
            return new RouteResult<TTarget>(RouteOutcome.InvalidHostname, null, null);
        }

        return table.Route(host, localAddress, cookedPath);
    }

    /// <summary>Routes a request that arrived on a Unix domain socket (its prefixes all behave like <c>+</c>).</summary>
    /// <param name="socketPath">The socket file the listener is bound to, as written in the prefix.</param>
    /// <param name="hostHeader">The Host header value; checked for syntax only.</param>
    /// <param name="cookedPath">The path after <see cref="PathCanonicalizer.TryCanonicalize(string, out string, out UrlRejection)"/>.</param>
    public RouteResult<TTarget> RouteUnix(string socketPath, ReadOnlySpan<char> hostHeader, string cookedPath)
    {
        ArgumentNullException.ThrowIfNull(socketPath);
        if (!HostHeader.TryParse(hostHeader, out var host))
        {
            return new RouteResult<TTarget>(RouteOutcome.InvalidHostname, null, null);
        }

        var snapshot = Volatile.Read(ref _snapshot);
        if (!snapshot.Sockets.TryGetValue(socketPath, out var table))
        {
            return new RouteResult<TTarget>(RouteOutcome.InvalidHostname, null, null);
        }

        return table.Route(host, null, cookedPath);
    }

    private static void ThrowIfDynamicPort(UrlPrefix prefix)
    {
        if (prefix.IsDynamicPort)
        {
            throw new ArgumentException(
                $"The URL prefix '{prefix}' has port 0; resolve the port first (UrlPrefix.WithPort) and register the result.",
                nameof(prefix));
        }
    }

    private void ThrowIfSchemeConflict(UrlPrefix prefix)
    {
        var key = EndpointKey.Of(prefix);
        var snapshot = _snapshot; // under _writeLock: the latest snapshot is ours
        if (snapshot.TryGetTable(key, out var table) && !string.Equals(table.Scheme, prefix.Scheme, StringComparison.Ordinal))
        {
            // HTTP.sys refuses http and https on one port, for reservations and registrations alike (spec §1.1).
            throw new HttpSysException(
                HttpSysErrorReason.SchemePortConflict,
                $"Cannot use {prefix.Scheme} for '{prefix}': {key} already has {table.Scheme} prefixes, and http and https cannot share a port.");
        }
    }

    private void RemoveIfEmpty(Slot slot)
    {
        if (slot.Target is null && !slot.Reserved)
        {
            _slots.Remove(slot.Prefix); // equal to the key even if another instance
        }
    }

    private void Publish(EndpointKey changed) => Publish(new[] { changed });

    // Rebuilds the tables of the changed endpoints from the master state and swaps in a new snapshot.
    // Called under _writeLock; readers keep using whichever snapshot they already hold.
    private void Publish(IEnumerable<EndpointKey> changed)
    {
        var old = _snapshot;
        var ports = new Dictionary<int, EndpointTable>(old.Ports);
        var sockets = new Dictionary<string, EndpointTable>(old.Sockets, StringComparer.Ordinal);
        foreach (var key in changed)
        {
            var table = BuildTable(key);
            if (key.SocketPath is null)
            {
                if (table is null)
                {
                    ports.Remove(key.Port);
                }
                else
                {
                    ports[key.Port] = table;
                }
            }
            else if (table is null)
            {
                sockets.Remove(key.SocketPath);
            }
            else
            {
                sockets[key.SocketPath] = table;
            }
        }

        var registrations = new List<(UrlPrefix Prefix, TTarget Target)>();
        var reservations = new List<UrlPrefix>();
        foreach (var slot in _slots.Values)
        {
            if (slot.Target is not null)
            {
                registrations.Add((slot.Prefix, slot.Target));
            }

            if (slot.Reserved)
            {
                reservations.Add(slot.Prefix);
            }
        }

        registrations.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Prefix.FullPrefix, b.Prefix.FullPrefix));
        reservations.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.FullPrefix, b.FullPrefix));
        Volatile.Write(ref _snapshot, new Snapshot(ports, sockets, registrations.ToArray(), reservations.ToArray()));
    }

    private EndpointTable? BuildTable(EndpointKey key)
    {
        var strong = new List<Entry>();
        var weak = new List<Entry>();
        var explicitHosts = new Dictionary<string, List<Entry>>(StringComparer.OrdinalIgnoreCase);
        var addresses = new List<(byte[] Address, List<Entry> Entries)>();
        string? scheme = null;

        foreach (var slot in _slots.Values)
        {
            var prefix = slot.Prefix;
            if (!EndpointKey.Of(prefix).Equals(key))
            {
                continue;
            }

            scheme = prefix.Scheme;
            var entry = new Entry(prefix, slot.Target);
            switch (prefix.Category)
            {
                case HostCategory.StrongWildcard:
                    strong.Add(entry);
                    break;
                case HostCategory.WeakWildcard:
                    weak.Add(entry);
                    break;
                case HostCategory.Explicit:
                    if (!explicitHosts.TryGetValue(prefix.Host, out var list))
                    {
                        explicitHosts.Add(prefix.Host, list = new List<Entry>());
                    }

                    list.Add(entry);
                    break;
                case HostCategory.IPBound:
                    var bytes = AddressBytes(prefix.Address!);
                    var index = addresses.FindIndex(a => a.Address.AsSpan().SequenceEqual(bytes));
                    if (index < 0)
                    {
                        addresses.Add((bytes, new List<Entry> { entry }));
                    }
                    else
                    {
                        addresses[index].Entries.Add(entry);
                    }

                    break;
            }
        }

        if (scheme is null)
        {
            return null;
        }

        var hostGroups = new HostGroup[explicitHosts.Count];
        var i = 0;
        foreach (var (host, entries) in explicitHosts)
        {
            hostGroups[i++] = new HostGroup(host, SortLongestFirst(entries));
        }

        // Sorted for the binary search in Route; the same comparison as MemoryExtensions.CompareTo(OrdinalIgnoreCase).
        Array.Sort(hostGroups, (a, b) => string.Compare(a.Host, b.Host, StringComparison.OrdinalIgnoreCase));

        var addressGroups = new AddressGroup[addresses.Count];
        for (i = 0; i < addresses.Count; i++)
        {
            addressGroups[i] = new AddressGroup(addresses[i].Address, SortLongestFirst(addresses[i].Entries));
        }

        return new EndpointTable(scheme, SortLongestFirst(strong), hostGroups, addressGroups, SortLongestFirst(weak));
    }

    private static Entry[] SortLongestFirst(List<Entry> entries)
    {
        var array = entries.ToArray();
        // Longest path first, so the first whole-segment match is the longest (spec §1.3 step 2).
        Array.Sort(array, (a, b) => b.Prefix.Path.Length.CompareTo(a.Prefix.Path.Length));
        return array;
    }

    // IPv4-mapped IPv6 compares as IPv4, and the scope id is ignored: the local address of a dual-stack socket
    // is reported as ::ffff:a.b.c.d, and a prefix [fe80::1] should match fe80::1%eth0.
    private static byte[] AddressBytes(IPAddress address)
        => (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).GetAddressBytes();

    private static bool TryWriteAddress(IPAddress address, Span<byte> destination, out ReadOnlySpan<byte> written)
    {
        if (!address.TryWriteBytes(destination, out var count))
        {
            written = default;
            return false;
        }

        written = destination[..count];
        if (address.IsIPv4MappedToIPv6)
        {
            written = written[12..];
        }

        return true;
    }

    private readonly record struct EndpointKey(int Port, string? SocketPath)
    {
        public static EndpointKey Of(UrlPrefix prefix) => new(prefix.Port, prefix.UnixSocketPath);

        public override string ToString() => SocketPath is null
            ? "port " + Port.ToString(CultureInfo.InvariantCulture)
            : $"socket '{SocketPath}'";
    }

    private sealed class Slot(UrlPrefix prefix)
    {
        public UrlPrefix Prefix { get; set; } = prefix;

        public TTarget? Target { get; set; }

        public bool Reserved { get; set; }
    }

    // Immutable once published. Target null = a reservation without a registration.
    private sealed class Entry(UrlPrefix prefix, TTarget? target)
    {
        public UrlPrefix Prefix { get; } = prefix;

        public TTarget? Target { get; } = target;
    }

    private sealed class HostGroup(string host, Entry[] entries)
    {
        public string Host { get; } = host;

        public Entry[] Entries { get; } = entries;
    }

    private sealed class AddressGroup(byte[] address, Entry[] entries)
    {
        public byte[] Address { get; } = address;

        public Entry[] Entries { get; } = entries;
    }

    // Everything registered or reserved on one port (or one Unix socket); all of one scheme.
    private sealed class EndpointTable(string scheme, Entry[] strong, HostGroup[] explicitHosts, AddressGroup[] addresses, Entry[] weak)
    {
        public string Scheme { get; } = scheme;

        public RouteResult<TTarget> Route(ReadOnlySpan<char> host, IPAddress? localAddress, string path)
        {
            // "Host matched" = some bucket had an entry for this host/address, i.e. a site exists: a miss is then 404,
            // otherwise 400 Invalid Hostname (spec §1.5).
            var hostMatched = false;

            if (strong.Length > 0)
            {
                hostMatched = true;
                if (LongestMatch(strong, path) is { } hit)
                {
                    return Result(hit);
                }
            }

            // An empty Host (HTTP/1.0) stands for the local IP, which never equals an explicit host name.
            if (!host.IsEmpty && explicitHosts.Length > 0 && FindHost(host) is { } group)
            {
                hostMatched = true;
                if (LongestMatch(group.Entries, path) is { } hit)
                {
                    return Result(hit);
                }
            }

            if (localAddress is not null && addresses.Length > 0)
            {
                Span<byte> buffer = stackalloc byte[16];
                if (TryWriteAddress(localAddress, buffer, out var local))
                {
                    foreach (var candidate in addresses)
                    {
                        if (candidate.Address.AsSpan().SequenceEqual(local))
                        {
                            hostMatched = true;
                            if (LongestMatch(candidate.Entries, path) is { } hit)
                            {
                                return Result(hit);
                            }

                            break;
                        }
                    }
                }
            }

            if (weak.Length > 0)
            {
                hostMatched = true;
                if (LongestMatch(weak, path) is { } hit)
                {
                    return Result(hit);
                }
            }

            return new RouteResult<TTarget>(hostMatched ? RouteOutcome.NotFound : RouteOutcome.InvalidHostname, null, null);
        }

        private static RouteResult<TTarget> Result(Entry entry) => entry.Target is null
            ? new RouteResult<TTarget>(RouteOutcome.Unavailable, null, entry.Prefix)
            : new RouteResult<TTarget>(RouteOutcome.Matched, entry.Target, entry.Prefix);

        private static Entry? LongestMatch(Entry[] entries, string path)
        {
            foreach (var entry in entries)
            {
                if (entry.Prefix.MatchesPath(path))
                {
                    return entry;
                }
            }

            return null;
        }

        private HostGroup? FindHost(ReadOnlySpan<char> host)
        {
            if (!Ascii.IsValid(host))
            {
                // A Unicode Host value: compare its IDNA form, as UrlPrefix stores names (allocates; rare).
                if (!UrlPrefix.TryNormaliseHostName(host, out var normalised, out _))
                {
                    return null;
                }

                host = normalised;
            }

            var low = 0;
            var high = explicitHosts.Length - 1;
            while (low <= high)
            {
                var middle = low + ((high - low) / 2);
                var order = explicitHosts[middle].Host.AsSpan().CompareTo(host, StringComparison.OrdinalIgnoreCase);
                if (order == 0)
                {
                    return explicitHosts[middle];
                }

                if (order < 0)
                {
                    low = middle + 1;
                }
                else
                {
                    high = middle - 1;
                }
            }

            return null;
        }
    }

    private sealed class Snapshot(
        Dictionary<int, EndpointTable> ports,
        Dictionary<string, EndpointTable> sockets,
        (UrlPrefix Prefix, TTarget Target)[] registrations,
        UrlPrefix[] reservations)
    {
        public Dictionary<int, EndpointTable> Ports { get; } = ports;

        public Dictionary<string, EndpointTable> Sockets { get; } = sockets;

        public IReadOnlyList<(UrlPrefix Prefix, TTarget Target)> Registrations { get; } = Array.AsReadOnly(registrations);

        public IReadOnlyList<UrlPrefix> Reservations { get; } = Array.AsReadOnly(reservations);

        public bool TryGetTable(EndpointKey key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EndpointTable? table)
            => key.SocketPath is null ? Ports.TryGetValue(key.Port, out table) : Sockets.TryGetValue(key.SocketPath, out table);
    }
}
