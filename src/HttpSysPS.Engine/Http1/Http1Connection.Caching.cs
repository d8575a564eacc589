using HttpSysPS.Engine.Caching;
using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Engine.Http1;

/// <summary>
/// The response cache's two hooks in <see cref="Http1Connection"/>: a lookup after routing and before the request
/// queue (a hit is answered here; the handler is never called), and a capture when a candidate response is
/// committed in one piece at the end of its handler.
/// </summary>
internal sealed partial class Http1Connection
{
    private static readonly byte[] ConnectionCloseLine = "Connection: close\r\n"u8.ToArray();
    private static readonly byte[] ConnectionKeepAliveLine = "Connection: keep-alive\r\n"u8.ToArray();

    /// <summary>The key of the current request when its response may be stored (a GET that missed); else null.</summary>
    private ResponseCacheKey? _cacheCandidate;
    private UrlPrefix? _cachePrefix;

    /// <summary>
    /// Looks the request up in the response cache. On a hit, writes the cached answer and returns it; otherwise
    /// returns null and remembers whether the response may be stored.
    /// </summary>
    private ResponseCacheEntry? TryServeFromCache(UrlGroup group, UrlPrefix prefix)
    {
        _cacheCandidate = null;
        var cache = _server.ResponseCache;
        if (!group.Options.EnableResponseCaching || _server.Options.ResponseCacheMaxBytes == 0 ||
            CacheRequestRules.Check(_request) != CacheIneligibility.None ||
            !ResponseCacheKey.TryCreate(_endpoint.Scheme, _request.Host, _endpoint.Port, _request.Path, _request.QueryString, out var key))
        {
            return null;
        }

        if (!cache.TryGet(key, group, cache.Time.GetTimestamp(), out var entry))
        {
            group.RequestQueue.RecordCacheMiss();
            if (!_framing.IsHead)
            {
                _cacheCandidate = key;
                _cachePrefix = prefix;
            }

            return null;
        }

        group.RequestQueue.RecordCacheHit();
        if (_closeRequested)
        {
            _keepAlive = false;
        }

        var output = _output;
        output.Write(entry.Head);
        output.Write(_server.Heartbeat.DateHeader);
        if (!_keepAlive)
        {
            output.Write(ConnectionCloseLine);
        }
        else if (_framing.Version == HttpVersion.Http10)
        {
            output.Write(ConnectionKeepAliveLine);
        }

        output.Write(Crlf);
        if (!_framing.IsHead)
        {
            output.Write(entry.Body);
        }

        LogRequest(entry.StatusCode, _framing.IsHead ? 0 : entry.Body.Length, null);
        return entry;
    }

    /// <summary>True while a candidate response whose headers already qualify may keep buffering up to the entry limit.</summary>
    private bool KeepBufferingForCache(long bufferedBytes) =>
        _cacheCandidate is not null &&
        bufferedBytes <= _server.ResponseCache.MaxEntryBytes &&
        CacheResponsePolicy.EvaluateHeaders(_response.StatusCode, _response.Headers, _server.Options.TimeProvider.GetUtcNow(), out _) == CacheIneligibility.None;

    /// <summary>Before the final commit: the body of a candidate response, copied, when the response qualifies.</summary>
    private byte[]? CaptureForCache(out TimeSpan timeToLive)
    {
        timeToLive = default;
        if (_cacheCandidate is null || _responseStarted || _suppressBody)
        {
            return null;
        }

        var cache = _server.ResponseCache;
        var reason = CacheResponsePolicy.Evaluate(_response.StatusCode, _response.Headers, _body.Length, cache.MaxEntryBytes, cache.Time.GetUtcNow(), out timeToLive);
        if (reason != CacheIneligibility.None || (_response.ContentLength is { } declared && declared != _body.Length))
        {
            return null;
        }

        return _body.ToArray();
    }

    /// <summary>After the final commit succeeded: stores the captured response.</summary>
    private void StoreCaptured(byte[]? body, TimeSpan timeToLive)
    {
        if (body is null || _cacheCandidate is not { } key)
        {
            return;
        }

        var cache = _server.ResponseCache;
        var now = cache.Time.GetTimestamp();
        var expiresAt = now + (long)(timeToLive.TotalSeconds * cache.Time.TimestampFrequency);
        cache.Store(ResponseCacheEntry.Create(key, _context.Listener, _cachePrefix!, _response, body, _server.Options.ServerHeader, now, expiresAt));
    }
}
