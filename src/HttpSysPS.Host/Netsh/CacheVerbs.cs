using System.Globalization;
using HttpSysPS.Engine;
using HttpSysPS.Engine.Configuration;
using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Host.Netsh;

/// <summary>
/// <c>show cachestate [url=]</c> and <c>delete cache [url=] [recursive=yes|no]</c> on the response cache of the server
/// running in this process (the <c>httpsys serve --console</c> console; docs/response-cache.md). One engine call each:
/// <see cref="HttpServer.GetResponseCacheEntries"/>, <see cref="HttpServer.FlushResponseCache"/>.
/// </summary>
internal static class CacheVerbs
{
    public static int Run(NetshContext context, HttpServer server)
    {
        var args = context.Arguments;
        switch (args.Verb, args.Noun)
        {
            case ("show", "cachestate"):
                var under = Url(args);
                args.RejectUnknown();
                Show(context, server.GetResponseCacheEntries(under));
                return NetshExitCode.Success;
            case ("delete", "cache"):
                var url = Url(args);
                var recursive = args.GetBool("recursive", fallback: false);
                args.RejectUnknown();

                // netsh: no url= deletes every entry, i.e. everything under every registered prefix.
                var removed = url is null
                    ? server.UrlGroups.SelectMany(g => g.RegisteredPrefixes).Sum(p => server.FlushResponseCache(p, recursive: true))
                    : server.FlushResponseCache(url, recursive);
                Deleted(context, url?.FullPrefix ?? "*", removed);
                return NetshExitCode.Success;
            default:
                throw new NetshUsageException($"'{args.Verb} {args.Noun}' is not a command; use show cachestate or delete cache.");
        }
    }

    // The prefix syntax (a bad one is MalformedPrefix, exit 12); a query string is ignored, as a flush covers every
    // query string of a path.
    private static UrlPrefix? Url(NetshArguments args) => args.Get("url") is { } url ? UrlReservation.ParseUrl(url.Split('?', 2)[0]) : null;

    private static void Show(NetshContext context, IReadOnlyList<HttpSysPS.Engine.Caching.ResponseCacheEntryInfo> entries)
    {
        var sorted = entries.OrderBy(e => e.Url, StringComparer.Ordinal).ToList();
        if (context.Arguments.Json)
        {
            context.WriteJson(w =>
            {
                w.WriteStartArray("entries");
                foreach (var e in sorted)
                {
                    w.WriteStartObject();
                    w.WriteString("url", e.Url);
                    w.WriteString("listener", e.UrlGroup);
                    w.WriteNumber("statusCode", e.StatusCode);
                    w.WriteNumber("bodyBytes", e.BodyBytes);
                    w.WriteNumber("totalBytes", e.TotalBytes);
                    w.WriteNumber("timeToLiveSeconds", Seconds(e.TimeToLive));
                    w.WriteNumber("idleSeconds", Seconds(e.Idle));
                    w.WriteNumber("hits", e.Hits);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            });
            return;
        }

        // netsh's layout: a "URL:" line per entry and its fields indented below it.
        var o = context.Output;
        o.WriteLine();
        o.WriteLine("Snapshot of HTTP response cache:");
        o.WriteLine("--------------------------------");
        o.WriteLine();
        foreach (var e in sorted)
        {
            o.WriteLine("URL: " + e.Url);
            context.Line("Listener", e.UrlGroup);
            context.Line("Status code", Number(e.StatusCode));
            context.Line("Headers length", Number(e.TotalBytes - e.BodyBytes));
            context.Line("Content length", Number(e.BodyBytes));
            context.Line("Hit count", Number(e.Hits));
            context.Line("Time to live (secs)", Number(Seconds(e.TimeToLive)));
            context.Line("Idle time (secs)", Number(Seconds(e.Idle)));
            o.WriteLine();
        }

        // A last line a script (or a reader of the serve console) can wait for.
        o.WriteLine($"Cached responses: {Number(sorted.Count)}, {Number(sorted.Sum(e => e.TotalBytes))} bytes");
        o.WriteLine();
    }

    private static void Deleted(NetshContext context, string target, int removed)
    {
        if (context.Arguments.Json)
        {
            // The change report of the other mutations (docs/configuration-management.md), plus the count.
            context.WriteJson(w =>
            {
                w.WriteBoolean("changed", removed > 0);
                w.WriteString("kind", "ResponseCache");
                w.WriteString("action", "Clear");
                w.WriteString("target", target);
                w.WriteNumber("removed", removed);
                w.WriteStartArray("warnings");
                w.WriteEndArray();
            });
            return;
        }

        context.Output.WriteLine();
        context.Output.WriteLine($"Response cache entries deleted: {Number(removed)}");
        context.Output.WriteLine();
    }

    // Whole seconds, as HTTP.sys counts cache lifetimes.
    private static long Seconds(TimeSpan span) => (long)Math.Floor(span.TotalSeconds);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
