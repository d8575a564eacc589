using HttpSysPS.Engine.Handlers;

namespace HttpSysPS.Engine.Caching;

/// <summary>The request half of cache eligibility (HTTP.sys conditions, spec §7.2).</summary>
internal static class CacheRequestRules
{
    /// <summary>Whether <paramref name="request"/> may be answered from the cache (GET or HEAD) or, for GET, fill it.</summary>
    public static CacheIneligibility Check(Request request)
    {
        if (request.Method is not ("GET" or "HEAD"))
        {
            return CacheIneligibility.Method;
        }

        if (request.HasBody)
        {
            return CacheIneligibility.RequestBody;
        }

        var headers = request.Headers;
        if (headers.Contains("Authorization") || request.IsAuthenticated)
        {
            return CacheIneligibility.Authorization;
        }

        if (headers.Contains("Range") || headers.Contains("If-Range"))
        {
            return CacheIneligibility.Range;
        }

        if (headers.Get("Translate") is { } translate && translate.Trim().Equals("f", StringComparison.OrdinalIgnoreCase))
        {
            return CacheIneligibility.Translate;
        }

        if (headers.Contains("If-None-Match") || headers.Contains("If-Modified-Since") ||
            headers.Contains("If-Match") || headers.Contains("If-Unmodified-Since"))
        {
            return CacheIneligibility.Conditional;
        }

        return CacheIneligibility.None;
    }
}
