using HttpSysPS.Engine.Caching;
using HttpSysPS.Engine.Handlers;
using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Engine.Requests;

/// <summary>
/// The response cache's two hooks in a request's life: a lookup after routing and before the request queue (a hit is
/// answered by the protocol; the handler is never called), and a capture when a candidate response is committed in
/// one piece at the end of its handler.
/// </summary>
internal sealed class ResponseCacheStep
{
    private readonly ServiceContext _service;

    /// <summary>The key of the current request when its response may be stored (a GET that missed); else null.</summary>
    private ResponseCacheKey? _candidate;
    private UrlPrefix? _prefix;
    private UrlGroup? _group;

    public ResponseCacheStep(ServiceContext service) => _service = service;

    /// <summary>The current request neither reads nor fills the cache (the server answers it before the lookup).</summary>
    public void Skip() => _candidate = null;

    /// <summary>A cached answer for <paramref name="request"/>, or null (then remembers whether its response may be stored).</summary>
    public ResponseCacheEntry? TryLookup(UrlGroup group, UrlPrefix prefix, Request request, string scheme, int port, bool isHead)
    {
        _candidate = null;
        var cache = _service.ResponseCache;
        if (!group.Options.EnableResponseCaching || _service.Options.ResponseCacheMaxBytes == 0 ||
            CacheRequestRules.Check(request) != CacheIneligibility.None ||
            !ResponseCacheKey.TryCreate(scheme, request.Host, port, request.Path, request.QueryString, out var key))
        {
            return null;
        }

        if (!cache.TryGet(key, group, cache.Time.GetTimestamp(), out var entry))
        {
            group.RequestQueue.RecordCacheMiss();
            if (!isHead)
            {
                _candidate = key;
                _prefix = prefix;
                _group = group;
            }

            return null;
        }

        group.RequestQueue.RecordCacheHit();
        return entry;
    }

    /// <summary>True while a candidate response whose headers already qualify may keep buffering up to the entry limit.</summary>
    public bool KeepBuffering(Response response, long bufferedBytes) =>
        _candidate is not null &&
        bufferedBytes <= _service.ResponseCache.MaxEntryBytes &&
        CacheResponsePolicy.EvaluateHeaders(response.StatusCode, response.Headers, _service.Options.TimeProvider.GetUtcNow(), out _) == CacheIneligibility.None;

    /// <summary>Before the final commit of a whole buffered response: its body, copied, when it qualifies; else null.</summary>
    public byte[]? Capture(Response response, Http1.OutputBuffer body, out TimeSpan timeToLive)
    {
        timeToLive = default;
        if (_candidate is null)
        {
            return null;
        }

        var cache = _service.ResponseCache;
        var reason = CacheResponsePolicy.Evaluate(response.StatusCode, response.Headers, body.Length, cache.MaxEntryBytes, cache.Time.GetUtcNow(), out timeToLive);
        return reason != CacheIneligibility.None || (response.ContentLength is { } declared && declared != body.Length) ? null : body.ToArray();
    }

    /// <summary>After the final commit succeeded: stores the captured response.</summary>
    public void Store(Response response, byte[]? body, TimeSpan timeToLive)
    {
        if (body is null || _candidate is not { } key)
        {
            return;
        }

        var cache = _service.ResponseCache;
        var now = cache.Time.GetTimestamp();
        var expiresAt = now + (long)(timeToLive.TotalSeconds * cache.Time.TimestampFrequency);
        cache.Store(ResponseCacheEntry.Create(key, _group!, _prefix!, response, body, _service.Options.ServerHeader, now, expiresAt));
    }
}
