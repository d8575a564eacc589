namespace HttpSysPS.Engine.Queues;

/// <summary>A point-in-time view of a request queue's counters.</summary>
/// <param name="Name">The queue's name (the listener name when none was given).</param>
/// <param name="Limit">The queue length limit (HTTP.sys default 1000).</param>
/// <param name="MaxConcurrentRequests">How many requests may be in handlers at once.</param>
/// <param name="Queued">Requests waiting for a handler now.</param>
/// <param name="InFlight">Requests in handlers now.</param>
/// <param name="Completed">Requests that finished in a handler since start.</param>
/// <param name="Rejected">Requests refused because the queue was full or stopping.</param>
/// <param name="TimedOut">Requests dropped by the RequestQueue timer.</param>
/// <param name="CacheHits">Responses served from the response cache without the handler.</param>
/// <param name="CacheMisses">Cacheable lookups that found nothing.</param>
/// <param name="CacheEntries">Response cache entries this queue's handler produced, now.</param>
/// <param name="CacheBytes">Bytes those entries hold (pre-encoded head and body), now.</param>
/// <param name="Arrivals">Requests that reached the queue since start: admitted, queued or rejected.</param>
public sealed record RequestQueueStatistics(
    string Name,
    int Limit,
    int MaxConcurrentRequests,
    int Queued,
    int InFlight,
    long Completed,
    long Rejected,
    long TimedOut,
    long CacheHits = 0,
    long CacheMisses = 0,
    long CacheEntries = 0,
    long CacheBytes = 0,
    long Arrivals = 0);
