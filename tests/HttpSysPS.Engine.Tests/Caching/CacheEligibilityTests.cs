using System.Text;
using HttpSysPS.Engine.Handlers;

namespace HttpSysPS.Engine.Tests.Caching;

/// <summary>
/// Every rule that keeps a request or a response out of the cache, one test case each (spec §7.2, §7.3). A response
/// that is not cached reaches the handler again on the second request.
/// </summary>
public sealed class CacheEligibilityTests
{
    /// <summary>Request rules: the request is neither answered from an entry nor does its answer become one.</summary>
    public static TheoryData<string, string> IneligibleRequests => new()
    {
        { "POST", "POST /r HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n" },
        { "PUT with a body", "PUT /r HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc" },
        { "GET with a body", "GET /r HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc" },
        { "GET with a chunked body", "GET /r HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n" },
        { "Authorization", "GET /r HTTP/1.1\r\nHost: x\r\nAuthorization: Basic dTpw\r\n\r\n" },
        { "Range", "GET /r HTTP/1.1\r\nHost: x\r\nRange: bytes=0-1\r\n\r\n" },
        { "If-Range", "GET /r HTTP/1.1\r\nHost: x\r\nIf-Range: \"e\"\r\n\r\n" },
        { "Translate: f", "GET /r HTTP/1.1\r\nHost: x\r\nTranslate: f\r\n\r\n" },
        { "If-None-Match", "GET /r HTTP/1.1\r\nHost: x\r\nIf-None-Match: \"e\"\r\n\r\n" },
        { "If-Modified-Since", "GET /r HTTP/1.1\r\nHost: x\r\nIf-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n" },
        { "If-Match", "GET /r HTTP/1.1\r\nHost: x\r\nIf-Match: *\r\n\r\n" },
        { "If-Unmodified-Since", "GET /r HTTP/1.1\r\nHost: x\r\nIf-Unmodified-Since: Sun, 06 Nov 2094 08:49:37 GMT\r\n\r\n" },
        { "HTTP/1.0 without Host", "GET /r HTTP/1.0\r\n\r\n" },
    };

    [Theory]
    [MemberData(nameof(IneligibleRequests))]
    public async Task Request_rule(string rule, string request)
    {
        _ = rule;
        var handler = new RecordingHandler();
        await using var host = await TestHost.StartAsync(handler);
        var closing = request.Insert(request.IndexOf("\r\n", StringComparison.Ordinal) + 2, "Connection: close\r\n");

        await host.RawAsync(closing);                  // not stored ...
        using var plain = await host.GetAsync("/r");   // ... so this GET calls the handler and stores
        await host.RawAsync(closing);                  // not answered from the entry either

        Assert.Equal(3, handler.Calls);
        Assert.Equal("call 2 /r", await plain.Content.ReadAsStringAsync());
    }

    /// <summary>Response rules: a response that breaks one is sent normally and silently not cached.</summary>
    public static TheoryData<string> IneligibleResponses => new()
    {
        "no Cache-Control",
        "Cache-Control without public",
        "public without a lifetime",
        "public, max-age=0",
        "s-maxage=0 wins over max-age",
        "Expires without public",
        "public with a past Expires",
        "public, private",
        "public, no-store",
        "public, no-cache",
        "Set-Cookie",
        "Vary",
        "Pragma",
        "no Content-Type",
        "empty body",
        "status 304",
        "status 206",
        "body over the entry limit",
        "flushed before the end",
        "invalid Last-Modified",
        "listener with caching off",
        "server cache budget 0",
    };

    [Theory]
    [MemberData(nameof(IneligibleResponses))]
    public async Task Response_rule(string rule)
    {
        var options = new HttpServerOptions
        {
            ResponseCacheMaxEntryBytes = 100,
            ResponseCacheMaxBytes = rule == "server cache budget 0" ? 0 : HttpServerOptions.DefaultResponseCacheMaxBytes,
        };
        var handler = new RecordingHandler((context, _) => Respond(context, rule));
        await using var host = await TestHost.StartAsync(handler, options, o => o with { EnableResponseCaching = rule != "listener with caching off" });

        using var first = await host.GetAsync("/r");
        using var second = await host.GetAsync("/r");

        Assert.Equal(2, handler.Calls);
        Assert.Empty(host.Server.GetResponseCacheEntries());
        Assert.Equal(0, host.Group.RequestQueue.GetStatistics().CacheHits);
    }

    /// <summary>The same handler shapes that do qualify, so each rule above is tested against a near neighbour that caches.</summary>
    public static TheoryData<string> EligibleResponses => new()
    {
        "public, max-age=60",
        "public, s-maxage=60, max-age=0",
        "max-age wins over a past Expires",
        "public with a future Expires",
        "body at the entry limit",
        "a valid Last-Modified",
    };

    [Theory]
    [MemberData(nameof(EligibleResponses))]
    public async Task Eligible_response(string rule)
    {
        var options = new HttpServerOptions { ResponseCacheMaxEntryBytes = 100 };
        var handler = new RecordingHandler((context, _) => Respond(context, rule));
        await using var host = await TestHost.StartAsync(handler, options);

        using var first = await host.GetAsync("/r");
        using var second = await host.GetAsync("/r");

        Assert.Equal(1, handler.Calls);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
    }

    private static async ValueTask Respond(RequestContext context, string rule)
    {
        var response = context.Response;
        var headers = response.Headers;
        var body = "body";
        response.ContentType = "text/plain";
        headers["Cache-Control"] = "public, max-age=60";
        var future = DateTimeOffset.UtcNow.AddHours(1).ToString("r");
        var past = DateTimeOffset.UtcNow.AddHours(-1).ToString("r");
        switch (rule)
        {
            case "no Cache-Control": headers.Remove("Cache-Control"); break;
            case "Cache-Control without public": headers["Cache-Control"] = "max-age=60"; break;
            case "public without a lifetime": headers["Cache-Control"] = "public"; break;
            case "public, max-age=0": headers["Cache-Control"] = "public, max-age=0"; break;
            case "s-maxage=0 wins over max-age": headers["Cache-Control"] = "public, s-maxage=0, max-age=60"; break;
            case "Expires without public": headers["Cache-Control"] = "must-revalidate"; headers["Expires"] = future; break;
            case "public with a past Expires": headers["Cache-Control"] = "public"; headers["Expires"] = past; break;
            case "public, private": headers["Cache-Control"] = "public, private, max-age=60"; break;
            case "public, no-store": headers["Cache-Control"] = "public, no-store, max-age=60"; break;
            case "public, no-cache": headers["Cache-Control"] = "public, no-cache, max-age=60"; break;
            case "Set-Cookie": headers["Set-Cookie"] = "a=b"; break;
            case "Vary": headers["Vary"] = "Accept-Encoding"; break;
            case "Pragma": headers["Pragma"] = "no-cache"; break;
            case "no Content-Type": headers.Remove("Content-Type"); break;
            case "empty body": body = string.Empty; break;
            case "status 304": response.StatusCode = 304; body = string.Empty; break;
            case "status 206": response.StatusCode = 206; headers["Content-Range"] = "bytes 0-3/10"; break;
            case "body over the entry limit": body = new string('x', 101); break;
            case "body at the entry limit": body = new string('x', 100); break;
            case "flushed before the end":
                await response.WriteAsync(Encoding.ASCII.GetBytes(body));
                await response.FlushAsync();
                return;
            case "invalid Last-Modified": headers["Last-Modified"] = "yesterday"; break;
            case "a valid Last-Modified": headers["Last-Modified"] = past; break;
            case "public, s-maxage=60, max-age=0": headers["Cache-Control"] = rule; break;
            case "max-age wins over a past Expires": headers["Expires"] = past; break;
            case "public with a future Expires": headers["Cache-Control"] = "public"; headers["Expires"] = future; break;
        }

        if (body.Length > 0)
        {
            await response.WriteAsync(Encoding.ASCII.GetBytes(body));
        }
    }
}
