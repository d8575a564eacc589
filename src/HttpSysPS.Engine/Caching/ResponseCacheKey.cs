using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Engine.Caching;

/// <summary>
/// What a cached response is filed under: scheme, host, local port, canonical path and query string.
/// </summary>
/// <remarks>
/// <para>Host is the Host header's host part (no port, no trailing dot), compared case-insensitively: one entry per
/// site, never served to another host. The port is the connection's local port, which routing uses too (the Host
/// header's port is ignored, as HTTP.sys ignores it).</para>
/// <para>Path is the cooked path (decoded, canonical) compared ordinally: <c>/A</c> and <c>/a</c> route alike but a
/// handler may answer them differently, so they are different entries. The query string is part of the key
/// (compared ordinally, '?' included): a dynamic handler usually answers <c>?page=2</c> differently, and serving
/// <c>?page=1</c>'s body for it would be wrong. HTTP.sys's own choice is unconfirmed (spec §7.4 [U]).</para>
/// <para>A lookup key points into the request's Host string (no allocation); a stored key owns a lower-cased copy.</para>
/// </remarks>
internal readonly struct ResponseCacheKey : IEquatable<ResponseCacheKey>
{
    private readonly ReadOnlyMemory<char> _host;

    private ResponseCacheKey(string scheme, ReadOnlyMemory<char> host, int port, string path, string query)
    {
        Scheme = scheme;
        _host = host;
        Port = port;
        Path = path;
        Query = query;
    }

    public string Scheme { get; }

    public ReadOnlySpan<char> Host => _host.Span;

    public int Port { get; }

    public string Path { get; }

    public string Query { get; }

    /// <summary>A lookup key for a request; false when the Host header has no usable host part (never cached then).</summary>
    public static bool TryCreate(string scheme, string hostHeader, int port, string path, string query, out ResponseCacheKey key)
    {
        key = default;
        if (!HostHeader.TryParse(hostHeader, out var host) || host.IsEmpty)
        {
            return false;
        }

        // The host part is always a prefix of the header value (the port and a trailing dot come after it).
        key = new ResponseCacheKey(scheme, hostHeader.AsMemory(0, host.Length), port, path, query);
        return true;
    }

    /// <summary>A copy that owns its host (lower-cased), for storing: the request's strings are reused per connection.</summary>
    public ResponseCacheKey ToStored() => new(Scheme, Host.ToString().ToLowerInvariant().AsMemory(), Port, Path, Query);

    public bool Equals(ResponseCacheKey other) =>
        Port == other.Port &&
        string.Equals(Path, other.Path, StringComparison.Ordinal) &&
        string.Equals(Query, other.Query, StringComparison.Ordinal) &&
        string.Equals(Scheme, other.Scheme, StringComparison.Ordinal) &&
        Host.Equals(other.Host, StringComparison.OrdinalIgnoreCase);

    public override bool Equals(object? obj) => obj is ResponseCacheKey other && Equals(other);

    public override int GetHashCode() =>
        HashCode.Combine(Port, Path, Query, string.GetHashCode(Host, StringComparison.OrdinalIgnoreCase));

    /// <summary>The URL this key stands for (for listings and logs).</summary>
    public override string ToString() => $"{Scheme}://{Host}:{Port}{Path}{Query}";
}
