using HttpSysPS.Cmdlets.Hosting;
using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Cmdlets.Caching;

/// <summary>
/// The response cache of the module's server, for Get-/Clear-HttpSysResponseCache: one engine call each
/// (<c>GetResponseCacheEntries</c>, <c>FlushResponseCache</c>). With no listener there is no server and no cache.
/// </summary>
internal static class ResponseCacheControl
{
    /// <summary>The entries under <paramref name="prefix"/> (all when null) of <paramref name="listeners"/> (all when null), by URL.</summary>
    public static IEnumerable<HttpSysResponseCacheEntry> List(IEnumerable<HostedListener>? listeners, UrlPrefix? prefix)
    {
        if (ListenerRegistry.Server is not { } server)
        {
            return [];
        }

        var names = listeners?.Select(l => l.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var now = DateTime.UtcNow;
        return server.GetResponseCacheEntries(prefix)
            .Where(e => names is null || names.Contains(e.UrlGroup))
            .OrderBy(e => e.Url, StringComparer.Ordinal)
            .Select(e => HttpSysResponseCacheEntry.From(e, now))
            .ToArray();
    }

    /// <summary>
    /// A URL for Clear-HttpSysResponseCache -Url: the prefix syntax, with a query string dropped (a flush covers every
    /// query-string variant of a path), so an entry's Url from Get-HttpSysResponseCache works as it is.
    /// </summary>
    public static UrlPrefix ParseUrl(string url) => UrlPrefix.Parse(url.Split('?', 2)[0]);

    /// <summary>HttpFlushResponseCache: the entries under <paramref name="prefix"/>; the number removed.</summary>
    public static int Flush(UrlPrefix prefix, bool recursive) => ListenerRegistry.Server?.FlushResponseCache(prefix, recursive) ?? 0;

    /// <summary>
    /// Every entry under the prefixes <paramref name="listener"/> has registered now (none when it is not started: a
    /// stopped listener's entries are gone already). A flush works by URL, so entries of another listener registered
    /// under a longer prefix inside these go too.
    /// </summary>
    public static int Flush(HostedListener listener) =>
        listener.Group.RegisteredPrefixes.Sum(prefix => Flush(prefix, recursive: true));
}
