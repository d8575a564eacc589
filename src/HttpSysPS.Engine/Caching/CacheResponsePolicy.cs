using System.Globalization;
using HttpSysPS.Engine.Handlers;

namespace HttpSysPS.Engine.Caching;

/// <summary>
/// The response half of cache eligibility: ASP.NET HttpSys's decision (spec §7.3) — it is what tells HTTP.sys to
/// cache — followed by HTTP.sys's own conditions on the response (spec §7.2).
/// </summary>
internal static class CacheResponsePolicy
{
    /// <summary>Longest lifetime: ASP.NET passes <c>min(ttl, int.MaxValue)</c> seconds to HTTP.sys.</summary>
    private static readonly TimeSpan MaxTimeToLive = TimeSpan.FromSeconds(int.MaxValue);

    /// <summary>
    /// Decides whether a complete response may be stored, and for how long.
    /// </summary>
    /// <param name="status">The status code.</param>
    /// <param name="headers">The response headers.</param>
    /// <param name="bodyLength">The body length in bytes.</param>
    /// <param name="maxEntryBytes">The per-entry body limit.</param>
    /// <param name="now">The current time (for Expires).</param>
    /// <param name="timeToLive">The lifetime when eligible.</param>
    public static CacheIneligibility Evaluate(int status, HeaderCollection headers, long bodyLength, int maxEntryBytes, DateTimeOffset now, out TimeSpan timeToLive)
    {
        timeToLive = default;
        var reason = EvaluateHeaders(status, headers, now, out timeToLive);
        if (reason != CacheIneligibility.None)
        {
            return reason;
        }

        // HTTP.sys conditions (spec §7.2): Content-Type required (Win8+), not zero-length, at most UriMaxUriBytes, valid Last-Modified.
        if (!headers.Contains("Content-Type"))
        {
            return CacheIneligibility.NoContentType;
        }

        if (bodyLength == 0)
        {
            return CacheIneligibility.EmptyBody;
        }

        if (bodyLength > maxEntryBytes)
        {
            return CacheIneligibility.TooLarge;
        }

        if (headers.Get("Last-Modified") is { } lastModified && !HttpDate.TryParse(lastModified, out _))
        {
            return CacheIneligibility.InvalidLastModified;
        }

        return CacheIneligibility.None;
    }

    /// <summary>
    /// The header rules alone, in ASP.NET's order: 304 never; Cache-Control required; no Set-Cookie, Vary or Pragma;
    /// <c>public</c> required; lifetime from s-maxage, else max-age, else Expires − now. Also used while the response
    /// is still being written, to decide whether to keep buffering it for the cache.
    /// </summary>
    public static CacheIneligibility EvaluateHeaders(int status, HeaderCollection headers, DateTimeOffset now, out TimeSpan timeToLive)
    {
        timeToLive = default;
        if (status == 304)
        {
            return CacheIneligibility.NotModified;
        }

        if (status == 206)
        {
            return CacheIneligibility.PartialContent;
        }

        if (headers.Get("Cache-Control") is not { } cacheControl)
        {
            return CacheIneligibility.NoCacheControl;
        }

        if (headers.Contains("Set-Cookie"))
        {
            return CacheIneligibility.SetCookie;
        }

        if (headers.Contains("Vary"))
        {
            return CacheIneligibility.Vary;
        }

        if (headers.Contains("Pragma"))
        {
            return CacheIneligibility.Pragma;
        }

        var isPublic = false;
        var forbidden = false;
        long? sMaxAge = null;
        long? maxAge = null;
        foreach (var directive in cacheControl.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = directive.IndexOf('=');
            var name = eq < 0 ? directive : directive[..eq].TrimEnd();
            var value = eq < 0 ? null : directive[(eq + 1)..].Trim().Trim('"');
            if (name.Equals("public", StringComparison.OrdinalIgnoreCase))
            {
                isPublic = true;
            }
            else if (name.Equals("private", StringComparison.OrdinalIgnoreCase) ||
                     name.Equals("no-store", StringComparison.OrdinalIgnoreCase) ||
                     name.Equals("no-cache", StringComparison.OrdinalIgnoreCase))
            {
                forbidden = true;
            }
            else if (name.Equals("s-maxage", StringComparison.OrdinalIgnoreCase))
            {
                sMaxAge = ParseSeconds(value) ?? sMaxAge;
            }
            else if (name.Equals("max-age", StringComparison.OrdinalIgnoreCase))
            {
                maxAge = ParseSeconds(value) ?? maxAge;
            }
        }

        if (!isPublic)
        {
            return CacheIneligibility.NotPublic;
        }

        if (forbidden)
        {
            return CacheIneligibility.Forbidden;
        }

        // ASP.NET GetCacheTtl: s-maxage wins over max-age (even max-age=0), max-age wins over Expires (even a past one).
        TimeSpan ttl;
        if (sMaxAge is { } s)
        {
            ttl = TimeSpan.FromSeconds(Math.Min(s, int.MaxValue));
        }
        else if (maxAge is { } m)
        {
            ttl = TimeSpan.FromSeconds(Math.Min(m, int.MaxValue));
        }
        else if (HttpDate.TryParse(headers.Get("Expires"), out var expires))
        {
            ttl = expires - now;
        }
        else
        {
            return CacheIneligibility.NoLifetime;
        }

        // HTTP.sys counts whole seconds (SecondsToLive); under a second is nothing.
        if (ttl < TimeSpan.FromSeconds(1))
        {
            return CacheIneligibility.NoLifetime;
        }

        timeToLive = ttl > MaxTimeToLive ? MaxTimeToLive : ttl;
        return CacheIneligibility.None;
    }

    // RFC 9111 §1.2.2: delta-seconds too large to represent mean "a very long time", not "invalid".
    private static long? ParseSeconds(string? value) =>
        value is null || value.Length == 0 || !value.All(char.IsAsciiDigit) ? null
        : long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ? seconds : int.MaxValue;
}
