using System.Collections.Concurrent;
using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Engine.Caching;

/// <summary>
/// The server's response cache (HTTP.sys's kernel-mode cache, spec §7): complete responses filed by
/// <see cref="ResponseCacheKey"/>, answered without the request queue or the handler.
/// </summary>
/// <remarks>
/// <para>Lookups are lock-free (a concurrent dictionary; the hit path writes one timestamp and one counter). Stores,
/// removals and eviction take one lock, so the byte total and the per-queue statistics stay exact.</para>
/// <para>Life of an entry: it expires at its lifetime (checked on lookup with the injected clock); it is scavenged
/// once it has not been hit for the scavenger period (HTTP.sys UriScavengerPeriod), on the heartbeat; when a store
/// would exceed the byte budget, the least recently used entries go first (down to 7/8 of the budget, so a full
/// cache sorts its entries once per eighth of the budget, not on every store); a flush by URL prefix or the
/// listener's stop removes entries at once.</para>
/// </remarks>
internal sealed class ResponseCache
{
    private readonly ConcurrentDictionary<ResponseCacheKey, ResponseCacheEntry> _entries = new();
    private readonly object _lock = new();
    private readonly TimeProvider _time;
    private readonly long _maxBytes;
    private readonly long _scavengerPeriod;
    private long _totalBytes;

    public ResponseCache(TimeProvider time, long maxBytes, int maxEntryBytes, TimeSpan scavengerPeriod)
    {
        _time = time;
        _maxBytes = maxBytes;
        MaxEntryBytes = maxEntryBytes;
        _scavengerPeriod = (long)(scavengerPeriod.TotalSeconds * time.TimestampFrequency);
    }

    /// <summary>Largest body stored, in bytes.</summary>
    public int MaxEntryBytes { get; }

    public int Count => _entries.Count;

    public long TotalBytes => Interlocked.Read(ref _totalBytes);

    public TimeProvider Time => _time;

    /// <summary>The entry for <paramref name="key"/> when it is live and was produced by <paramref name="group"/>.</summary>
    public bool TryGet(in ResponseCacheKey key, UrlGroup group, long now, out ResponseCacheEntry entry)
    {
        if (!_entries.TryGetValue(key, out entry!))
        {
            return false;
        }

        if (now >= entry.ExpiresAt)
        {
            Remove(entry);
            return false;
        }

        // Another listener now owns this URL (re-registration): its handler must answer, not the old one's cache.
        if (!ReferenceEquals(entry.Group, group))
        {
            return false;
        }

        entry.Touch(now);
        return true;
    }

    /// <summary>Stores (or replaces) an entry, evicting least recently used entries when over budget.</summary>
    public void Store(ResponseCacheEntry entry)
    {
        if (entry.Size > _maxBytes)
        {
            return;
        }

        lock (_lock)
        {
            if (_entries.TryGetValue(entry.Key, out var old))
            {
                RemoveLocked(old);
            }

            if (_totalBytes + entry.Size > _maxBytes)
            {
                EvictLocked(_maxBytes - (_maxBytes / 8) - entry.Size);
            }

            _entries[entry.Key] = entry;
            _totalBytes += entry.Size;
            entry.Group.RequestQueue.RecordCacheStored(entry.Size);
        }
    }

    /// <summary>Removes entries idle for the scavenger period. Called by the heartbeat.</summary>
    public int Scavenge(long now)
    {
        if (_entries.IsEmpty)
        {
            return 0;
        }

        var removed = 0;
        foreach (var (_, entry) in _entries)
        {
            if (now - entry.LastAccess >= _scavengerPeriod || now >= entry.ExpiresAt)
            {
                removed += Remove(entry) ? 1 : 0;
            }
        }

        return removed;
    }

    /// <summary>
    /// HttpFlushResponseCache: removes the entries under <paramref name="prefix"/> — every URL below its path when
    /// <paramref name="recursive"/>, else only the URL that is exactly the prefix's path (any query string).
    /// </summary>
    public int Flush(UrlPrefix prefix, bool recursive) => RemoveWhere(entry => Matches(prefix, recursive, entry));

    /// <summary>Removes every entry of a listener (its registrations went away).</summary>
    public int RemoveGroup(UrlGroup group) => RemoveWhere(entry => ReferenceEquals(entry.Group, group));

    /// <summary>A snapshot of the live entries (netsh http show cachestate).</summary>
    public IReadOnlyList<ResponseCacheEntry> Snapshot() => _entries.Values.ToArray();

    internal static bool Matches(UrlPrefix prefix, bool recursive, ResponseCacheEntry entry)
    {
        var key = entry.Key;
        if (!string.Equals(prefix.Scheme, key.Scheme, StringComparison.Ordinal))
        {
            return false;
        }

        var endpointMatches = prefix.IsUnixSocket
            ? string.Equals(entry.Prefix.UnixSocketPath, prefix.UnixSocketPath, StringComparison.Ordinal)
            : !entry.Prefix.IsUnixSocket && prefix.Port == key.Port;
        if (!endpointMatches)
        {
            return false;
        }

        var hostMatches = prefix.Category switch
        {
            HostCategory.StrongWildcard or HostCategory.WeakWildcard => true,

            // An IP-bound prefix filters on the local address, not the Host header: match what was routed through it.
            HostCategory.IPBound => string.Equals(entry.Prefix.Host, prefix.Host, StringComparison.OrdinalIgnoreCase) ||
                                    key.Host.Equals(prefix.Host, StringComparison.OrdinalIgnoreCase),
            _ => key.Host.Equals(prefix.Host, StringComparison.OrdinalIgnoreCase),
        };
        if (!hostMatches)
        {
            return false;
        }

        // Prefix paths compare case-insensitively, as HTTP.sys routes (UrlPrefix.MatchesPath).
        if (recursive)
        {
            return prefix.MatchesPath(key.Path);
        }

        var path = prefix.Path.AsSpan();
        return key.Path.AsSpan().Equals(path, StringComparison.OrdinalIgnoreCase) ||
               (path.Length > 1 && key.Path.AsSpan().Equals(path[..^1], StringComparison.OrdinalIgnoreCase));
    }

    private int RemoveWhere(Func<ResponseCacheEntry, bool> predicate)
    {
        var removed = 0;
        lock (_lock)
        {
            foreach (var (_, entry) in _entries)
            {
                if (predicate(entry))
                {
                    removed += RemoveLocked(entry) ? 1 : 0;
                }
            }
        }

        return removed;
    }

    private bool Remove(ResponseCacheEntry entry)
    {
        lock (_lock)
        {
            return RemoveLocked(entry);
        }
    }

    private bool RemoveLocked(ResponseCacheEntry entry)
    {
        // Remove this exact entry only: a newer one under the same key stays.
        if (!_entries.TryRemove(new KeyValuePair<ResponseCacheKey, ResponseCacheEntry>(entry.Key, entry)))
        {
            return false;
        }

        _totalBytes -= entry.Size;
        entry.Group.RequestQueue.RecordCacheRemoved(entry.Size);
        return true;
    }

    private void EvictLocked(long target)
    {
        var now = _time.GetTimestamp();
        var byAge = _entries.Values.OrderBy(e => now >= e.ExpiresAt ? 0 : 1).ThenBy(e => e.LastAccess).ToList();
        foreach (var entry in byAge)
        {
            if (_totalBytes <= Math.Max(0, target))
            {
                break;
            }

            RemoveLocked(entry);
        }
    }
}
