using System.Diagnostics.Metrics;
using HttpSysPS.Engine.Connections;
using HttpSysPS.Engine.Logging;
using HttpSysPS.Engine.Queues;

namespace HttpSysPS.Engine.Diagnostics;

/// <summary>
/// One server's instruments on the <see cref="HttpSysMeter.Name"/> meter. OpenTelemetry's HTTP server instruments
/// (<c>http.server.request.duration</c>, <c>http.server.active_requests</c>) are recorded as requests start and end,
/// and only while a listener collects them. HTTP.sys's request-queue counters and the connection counters are
/// observable: they are read from the live counters when a listener collects, and cost nothing per request.
/// </summary>
internal sealed class ServerMetrics : IDisposable
{
    private const string QueueTag = "httpsys.request_queue.name";

    private readonly Histogram<double> _duration;
    private readonly UpDownCounter<long> _active;
    private readonly Counter<long> _dropped;
    private readonly TimeProvider _time;

    /// <summary>Creates the instruments; <paramref name="groups"/> gives the listeners now (read at each collection).</summary>
    public ServerMetrics(Func<IEnumerable<UrlGroup>> groups, ConnectionManager connections, BackgroundLogWriter<ErrorLogEntry>? errorLog, TimeProvider time)
    {
        IEnumerable<RequestQueue> queues() => groups().Select(g => g.RequestQueue).Distinct();
        _time = time;
        Meter = new Meter(HttpSysMeter.Name, typeof(ServerMetrics).Assembly.GetName().Version?.ToString());
        _duration = Meter.CreateHistogram<double>("http.server.request.duration", "s", "Duration of HTTP server requests.");
        _active = Meter.CreateUpDownCounter<long>("http.server.active_requests", "{request}", "Number of active HTTP server requests.");
        _dropped = Meter.CreateCounter<long>("httpsys.connections.dropped", "{connection}",
            "Connections closed without an answer, by httperr reason (Timer_ConnectionIdle, ConnLimit, TLS_Handshake, ...).");

        Meter.CreateObservableCounter("httpsys.request_queue.arrivals", () => PerQueue(queues(), s => s.Arrivals), "{request}",
            "Requests that reached the request queue (admitted, queued or rejected).");
        Meter.CreateObservableCounter("httpsys.request_queue.rejected", () => PerQueue(queues(), s => s.Rejected), "{request}",
            "Requests refused because the queue was full or stopping (503).");
        Meter.CreateObservableCounter("httpsys.request_queue.timed_out", () => PerQueue(queues(), s => s.TimedOut), "{request}",
            "Requests dropped by the RequestQueue timer (503).");
        Meter.CreateObservableUpDownCounter("httpsys.request_queue.size", () => PerQueue(queues(), s => s.Queued), "{request}",
            "Requests waiting for a handler now.");
        Meter.CreateObservableGauge("httpsys.request_queue.max_item_age", () => MaxItemAge(queues()), "s",
            "How long the oldest waiting request has waited (0 when none waits).");
        Meter.CreateObservableCounter("httpsys.response_cache.hits", () => PerQueue(queues(), s => s.CacheHits), "{request}",
            "Requests answered from the response cache, by the queue whose handler made the entry.");
        Meter.CreateObservableCounter("httpsys.response_cache.misses", () => PerQueue(queues(), s => s.CacheMisses), "{request}",
            "Cacheable lookups that found nothing.");
        Meter.CreateObservableUpDownCounter("httpsys.connections.current", () => (long)connections.Count, "{connection}",
            "Open connections now.");
        Meter.CreateObservableCounter("httpsys.connections.total", () => connections.Accepted, "{connection}",
            "Connections accepted since the server started.");
        Meter.CreateObservableCounter("httpsys.log.dropped", () => PerLog(groups(), errorLog, w => w.Dropped), "{line}",
            "Log lines dropped because the disk fell behind and the log's queue was full (by log: a listener's name, or httperr).");
        Meter.CreateObservableCounter("httpsys.log.write_errors", () => PerLog(groups(), errorLog, w => w.Failed), "{line}",
            "Log lines lost to a failed write (disk full, directory gone).");
    }

    public Meter Meter { get; }

    /// <summary>True while a listener collects request durations (the request's start must then be timed).</summary>
    public bool TimesRequests => _duration.Enabled;

    /// <summary>True while a listener collects active requests.</summary>
    public bool CountsActiveRequests => _active.Enabled;

    public void RequestStarted(string method, string scheme) =>
        _active.Add(1, new("http.request.method", HttpMethodTag.Of(method)), new("url.scheme", scheme));

    public void RequestEnded(string method, string scheme) =>
        _active.Add(-1, new("http.request.method", HttpMethodTag.Of(method)), new("url.scheme", scheme));

    /// <summary>
    /// A request ended with <paramref name="status"/>. <paramref name="route"/> is the URL prefix it was routed to (never
    /// the raw path: bounded cardinality), null when it was not routed (a parse error, no matching prefix).
    /// </summary>
    public void RequestCompleted(TimeSpan duration, string method, string scheme, int status, string? route, string protocol)
    {
        var tags = new System.Diagnostics.TagList
        {
            { "http.request.method", HttpMethodTag.Of(method) },
            { "url.scheme", scheme },
            { "http.response.status_code", status },
            { "network.protocol.version", protocol == "HTTP/1.0" ? "1.0" : "1.1" },
        };
        if (route is not null)
        {
            tags.Add("http.route", route);
        }

        _duration.Record(duration.TotalSeconds, tags);
    }

    /// <summary>A connection was closed without an answer; <paramref name="reason"/> is its httperr reason (any detail
    /// after a colon is left out of the tag, so the number of series stays bounded).</summary>
    public void ConnectionDropped(string reason)
    {
        if (_dropped.Enabled)
        {
            var colon = reason.IndexOf(':');
            _dropped.Add(1, new KeyValuePair<string, object?>("reason", colon < 0 ? reason : reason[..colon]));
        }
    }

    public void Dispose() => Meter.Dispose();

    private static IEnumerable<Measurement<long>> PerQueue(IEnumerable<RequestQueue> queues, Func<RequestQueueStatistics, long> value) =>
        queues.Select(q => q.GetStatistics()).Select(s => new Measurement<long>(value(s), new KeyValuePair<string, object?>(QueueTag, s.Name)));

    private static IEnumerable<Measurement<long>> PerLog(IEnumerable<UrlGroup> groups, BackgroundLogWriter<ErrorLogEntry>? errorLog, Func<ILogWriterCounters, long> value)
    {
        foreach (var group in groups)
        {
            if (group.AccessLog is { } log)
            {
                yield return new Measurement<long>(value(log), new KeyValuePair<string, object?>("log", group.Name));
            }
        }

        if (errorLog is not null)
        {
            yield return new Measurement<long>(value(errorLog), new KeyValuePair<string, object?>("log", "httperr"));
        }
    }

    private IEnumerable<Measurement<double>> MaxItemAge(IEnumerable<RequestQueue> queues)
    {
        var now = _time.GetTimestamp();
        return queues.Select(q => new Measurement<double>(
            q.OldestWaitStart() is { } since ? _time.GetElapsedTime(since, now).TotalSeconds : 0,
            new KeyValuePair<string, object?>(QueueTag, q.Name)));
    }
}
