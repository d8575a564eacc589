using HttpSysPS.Engine.Caching;

namespace HttpSysPS.Cmdlets.Caching;

/// <summary>
/// What Get-HttpSysResponseCache writes: one cached response, as <c>netsh http show cachestate</c> lists it.
/// <see cref="Url"/> binds by property name to Clear-HttpSysResponseCache -Url (the listener is <see cref="Listener"/>,
/// not Name, so an entry never binds to -Name as well).
/// </summary>
/// <param name="Url">The cached URL: <c>scheme://host:port/path?query</c> (the Host header's host, the local port).</param>
/// <param name="Listener">The name of the listener whose handler produced the response.</param>
/// <param name="StatusCode">The cached status code.</param>
/// <param name="BodyBytes">Body length in bytes (netsh's "Content length").</param>
/// <param name="TotalBytes">Bytes the entry holds, head and body: what it counts against the cache's budget.</param>
/// <param name="TimeToLive">Time left before the entry expires.</param>
/// <param name="Expires">When the entry expires (UTC): the time of the listing plus <paramref name="TimeToLive"/>.</param>
/// <param name="Idle">Time since the entry was stored or last served; the scavenger removes entries idle for 120 s.</param>
/// <param name="Hits">Requests answered from the entry.</param>
public sealed record HttpSysResponseCacheEntry(
    string Url,
    string Listener,
    int StatusCode,
    long BodyBytes,
    long TotalBytes,
    TimeSpan TimeToLive,
    DateTime Expires,
    TimeSpan Idle,
    long Hits)
{
    internal static HttpSysResponseCacheEntry From(ResponseCacheEntryInfo info, DateTime now) =>
        new(info.Url, info.UrlGroup, info.StatusCode, info.BodyBytes, info.TotalBytes, info.TimeToLive, now + info.TimeToLive, info.Idle, info.Hits);
}
