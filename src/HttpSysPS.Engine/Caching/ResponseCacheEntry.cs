using System.Globalization;
using System.Text;
using HttpSysPS.Engine.Handlers;
using HttpSysPS.Engine.Http1;
using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Engine.Caching;

/// <summary>
/// One cached response: its status line and headers pre-encoded (everything but Date and Connection, which are
/// written per answer), its body, and the bookkeeping for expiry, idle scavenging and LRU eviction.
/// </summary>
internal sealed class ResponseCacheEntry
{
    private long _lastAccess;
    private long _hits;

    private ResponseCacheEntry(ResponseCacheKey key, UrlGroup group, UrlPrefix prefix, int statusCode, byte[] head, byte[] body, long storedAt, long expiresAt)
    {
        Key = key;
        Group = group;
        Prefix = prefix;
        StatusCode = statusCode;
        Head = head;
        Body = body;
        StoredAt = storedAt;
        ExpiresAt = expiresAt;
        _lastAccess = storedAt;
    }

    public ResponseCacheKey Key { get; }

    /// <summary>The listener whose handler produced it: a hit must route to the same one.</summary>
    public UrlGroup Group { get; }

    /// <summary>The prefix the request was routed by (flush by an IP-bound prefix matches on it).</summary>
    public UrlPrefix Prefix { get; }

    public int StatusCode { get; }

    /// <summary>Status line and headers including Content-Length, without Date, Connection and the final CRLF.</summary>
    public byte[] Head { get; }

    public byte[] Body { get; }

    /// <summary>Timestamps (<see cref="TimeProvider.GetTimestamp"/> units).</summary>
    public long StoredAt { get; }

    public long ExpiresAt { get; }

    public long LastAccess => Volatile.Read(ref _lastAccess);

    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Bytes charged against the cache budget.</summary>
    public long Size => Head.Length + Body.Length;

    public void Touch(long now)
    {
        Volatile.Write(ref _lastAccess, now);
        Interlocked.Increment(ref _hits);
    }

    /// <summary>
    /// Builds an entry from a response that was just committed in one piece. Header values were already checked
    /// for CR/LF/NUL by the response writer. The Server header is added as the writer adds it.
    /// </summary>
    public static ResponseCacheEntry Create(ResponseCacheKey key, UrlGroup group, UrlPrefix prefix, Response response, byte[] body, string? serverHeader, long now, long expiresAt)
    {
        var text = new StringBuilder(256);
        text.Append("HTTP/1.1 ").Append(response.StatusCode.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(response.ReasonPhrase ?? ReasonPhrases.For(response.StatusCode)).Append("\r\n");
        var hasServer = false;
        foreach (var (name, value) in response.Headers)
        {
            if (Http1.Http1ResponseHead.IsWrittenByServer(name))
            {
                continue;
            }

            hasServer |= name.Equals("Server", StringComparison.OrdinalIgnoreCase);
            text.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (!hasServer && serverHeader is not null)
        {
            text.Append("Server: ").Append(serverHeader).Append("\r\n");
        }

        text.Append("Content-Length: ").Append(body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        return new ResponseCacheEntry(key.ToStored(), group, prefix, response.StatusCode, Encoding.UTF8.GetBytes(text.ToString()), body, now, expiresAt);
    }
}
