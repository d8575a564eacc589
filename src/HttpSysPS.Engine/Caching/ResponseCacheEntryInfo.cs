namespace HttpSysPS.Engine.Caching;

/// <summary>One response cache entry as <c>netsh http show cachestate</c> lists it.</summary>
/// <param name="Url">The cached URL (<c>scheme://host:port/path?query</c>).</param>
/// <param name="UrlGroup">The listener whose handler produced the response.</param>
/// <param name="StatusCode">The cached status code.</param>
/// <param name="BodyBytes">Body length in bytes.</param>
/// <param name="TotalBytes">Bytes held (pre-encoded head and body).</param>
/// <param name="TimeToLive">Time left before the entry expires.</param>
/// <param name="Idle">Time since the entry was last served or stored.</param>
/// <param name="Hits">Answers served from the entry.</param>
public sealed record ResponseCacheEntryInfo(string Url, string UrlGroup, int StatusCode, long BodyBytes, long TotalBytes, TimeSpan TimeToLive, TimeSpan Idle, long Hits)
{
    internal static ResponseCacheEntryInfo From(ResponseCacheEntry entry, long now, long frequency) =>
        new(entry.Key.ToString(), entry.Group.Name, entry.StatusCode, entry.Body.Length, entry.Size,
            Ticks(Math.Max(0, entry.ExpiresAt - now), frequency), Ticks(Math.Max(0, now - entry.LastAccess), frequency), entry.Hits);

    private static TimeSpan Ticks(long timestampUnits, long frequency) => TimeSpan.FromSeconds((double)timestampUnits / frequency);
}
