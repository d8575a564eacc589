namespace HttpSysPS.Engine.Handlers;

/// <summary>
/// Evaluates conditional request headers against a representation's validators in the order RFC 9110 §13.2.2
/// prescribes: If-Match, else If-Unmodified-Since; then If-None-Match, else If-Modified-Since (GET/HEAD only).
/// If-Range is separate (<see cref="IfRangeAllowsRange"/>): it only decides whether a Range header applies.
/// </summary>
/// <remarks>
/// Dates compare at one-second resolution (Last-Modified is sent without fractions). Unparseable dates are ignored
/// (§13.1.3, §13.1.4). A malformed entity-tag list never matches: for If-Match that fails the request (412), for
/// If-None-Match it sends the full representation — both the safe reading.
/// </remarks>
public static class PreconditionEvaluator
{
    /// <summary>Evaluates If-Match, If-Unmodified-Since, If-None-Match and If-Modified-Since.</summary>
    /// <param name="headers">The request headers.</param>
    /// <param name="method">The request method.</param>
    /// <param name="etag">The representation's current entity tag, if it has one.</param>
    /// <param name="lastModified">The representation's last modification time, if known.</param>
    public static PreconditionResult Evaluate(HeaderCollection headers, string method, EntityTag? etag, DateTimeOffset? lastModified)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var modified = lastModified is { } lm ? HttpDate.TruncateToSeconds(lm) : (DateTimeOffset?)null;

        // Step 1/2: If-Match (strong comparison), else If-Unmodified-Since.
        if (headers.Get("If-Match") is { } ifMatch)
        {
            if (!ListMatches(ifMatch, etag, strong: true))
            {
                return PreconditionResult.PreconditionFailed;
            }
        }
        else if (modified is { } m1 && HttpDate.TryParse(headers.Get("If-Unmodified-Since"), out var unmodifiedSince) && m1 > unmodifiedSince)
        {
            return PreconditionResult.PreconditionFailed;
        }

        var isGetOrHead = method is "GET" or "HEAD";

        // Step 3/4: If-None-Match (weak comparison), else If-Modified-Since for GET/HEAD.
        if (headers.Get("If-None-Match") is { } ifNoneMatch)
        {
            if (ListMatches(ifNoneMatch, etag, strong: false))
            {
                return isGetOrHead ? PreconditionResult.NotModified : PreconditionResult.PreconditionFailed;
            }
        }
        else if (isGetOrHead && modified is { } m2 && HttpDate.TryParse(headers.Get("If-Modified-Since"), out var modifiedSince) && m2 <= modifiedSince)
        {
            return PreconditionResult.NotModified;
        }

        return PreconditionResult.Proceed;
    }

    /// <summary>
    /// If-Range (RFC 9110 §13.1.5): true when there is no If-Range, or it names the current representation — an
    /// entity tag by strong comparison (a weak tag never matches), or an HTTP-date exactly equal to Last-Modified.
    /// False means: ignore Range and send the whole representation.
    /// </summary>
    public static bool IfRangeAllowsRange(string? ifRange, EntityTag? etag, DateTimeOffset? lastModified)
    {
        if (ifRange is null)
        {
            return true;
        }

        var value = ifRange.Trim();
        if (value.StartsWith('"') || value.StartsWith("W/", StringComparison.Ordinal))
        {
            return etag is { } current && EntityTag.TryParse(value, out var tag) && current.StrongEquals(tag);
        }

        return lastModified is { } lm && HttpDate.TryParse(value, out var date) && HttpDate.TruncateToSeconds(lm) == date;
    }

    private static bool ListMatches(string value, EntityTag? current, bool strong)
    {
        var tags = new List<EntityTag>(2);
        if (!EntityTag.TryParseList(value, tags, out var wildcard))
        {
            return false;
        }

        // "*" matches any current representation (§13.1.1, §13.1.2); a resource without one never gets here.
        if (wildcard)
        {
            return true;
        }

        if (current is not { } etag)
        {
            return false;
        }

        foreach (var tag in tags)
        {
            if (strong ? etag.StrongEquals(tag) : etag.WeakEquals(tag))
            {
                return true;
            }
        }

        return false;
    }
}
