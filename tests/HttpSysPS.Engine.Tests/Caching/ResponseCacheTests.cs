using System.Text;
using HttpSysPS.Engine.Handlers;

namespace HttpSysPS.Engine.Tests.Caching;

/// <summary>Cache hits over real sockets: answered before the queue, without the handler, exactly as stored.</summary>
public sealed class ResponseCacheTests
{
    [Fact]
    public async Task A_hit_is_answered_without_calling_the_handler()
    {
        var handler = new RecordingHandler((context, call) =>
        {
            context.Response.Headers["X-Custom"] = "kept";
            return RecordingHandler.Cacheable(context, call);
        });
        await using var host = await TestHost.StartAsync(handler);

        using var first = await host.GetAsync("/page");
        using var second = await host.GetAsync("/page");

        Assert.Equal(1, handler.Calls);
        Assert.Equal("call 1 /page", await second.Content.ReadAsStringAsync());
        Assert.Equal("kept", second.Headers.GetValues("X-Custom").Single());
        Assert.Equal("public, max-age=60", second.Headers.CacheControl!.ToString());
        Assert.Equal("text/plain", second.Content.Headers.ContentType!.MediaType);
        Assert.Equal(12, second.Content.Headers.ContentLength);
        Assert.NotNull(second.Headers.Date);
        Assert.Equal(HttpServerOptions.DefaultServerHeader, second.Headers.Server.ToString());

        var stats = host.Group.RequestQueue.GetStatistics();
        Assert.Equal(1, stats.CacheHits);
        Assert.Equal(1, stats.CacheMisses);
        Assert.Equal(1, stats.CacheEntries);
        Assert.True(stats.CacheBytes > 12);
        Assert.Equal(1, stats.Completed); // the hit never entered the queue
    }

    [Fact]
    public async Task HEAD_is_answered_from_the_GET_entry_with_its_length_and_no_body()
    {
        var handler = new RecordingHandler();
        await using var host = await TestHost.StartAsync(handler);
        await host.GetAsync("/doc");

        var raw = await host.RawAsync("HEAD /doc HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

        Assert.Equal(1, handler.Calls);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", raw);
        Assert.Contains("Content-Length: 11\r\n", raw);
        Assert.Contains("Connection: close\r\n", raw);
        Assert.EndsWith("\r\n\r\n", raw);
    }

    [Fact]
    public async Task HEAD_never_stores_an_entry()
    {
        var handler = new RecordingHandler();
        await using var host = await TestHost.StartAsync(handler);

        using var head = await host.SendAsync("/doc", HttpMethod.Head);
        using var get1 = await host.GetAsync("/doc");
        using var get2 = await host.GetAsync("/doc");

        Assert.Equal(2, handler.Calls);
        Assert.Equal("call 2 /doc", await get2.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task One_host_never_gets_another_hosts_entry()
    {
        var handler = new RecordingHandler((context, call) => RecordingHandler.Cacheable(context, call));
        await using var host = await TestHost.StartAsync(handler);

        using var a1 = await host.GetAsync("/", ("Host", "a.example"));
        using var b1 = await host.GetAsync("/", ("Host", "b.example"));
        using var a2 = await host.GetAsync("/", ("Host", $"A.EXAMPLE:{host.Port}"));

        Assert.Equal(2, handler.Calls);
        Assert.Equal("call 1 /", await a1.Content.ReadAsStringAsync());
        Assert.Equal("call 2 /", await b1.Content.ReadAsStringAsync());
        Assert.Equal("call 1 /", await a2.Content.ReadAsStringAsync()); // host case and the Host port do not split entries
    }

    [Fact]
    public async Task The_query_string_is_part_of_the_key()
    {
        var handler = new RecordingHandler();
        await using var host = await TestHost.StartAsync(handler);

        using var one = await host.GetAsync("/list?page=1");
        using var two = await host.GetAsync("/list?page=2");
        using var oneAgain = await host.GetAsync("/list?page=1");

        Assert.Equal(2, handler.Calls);
        Assert.Equal("call 2 /list?page=2", await two.Content.ReadAsStringAsync());
        Assert.Equal("call 1 /list?page=1", await oneAgain.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Paths_are_keyed_by_their_canonical_form()
    {
        var handler = new RecordingHandler();
        await using var host = await TestHost.StartAsync(handler);

        await host.RawAsync("GET /a/b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        var raw = await host.RawAsync("GET /a/./c/../%62 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        Assert.Equal(1, handler.Calls);
        Assert.EndsWith("call 1 /a/b", raw);
    }

    [Fact]
    public async Task A_body_above_the_64_KiB_response_buffer_is_kept_whole_and_cached()
    {
        var chunk = new byte[16 * 1024];
        var handler = new RecordingHandler(async (context, _) =>
        {
            context.Response.ContentType = "application/octet-stream";
            context.Response.Headers["Cache-Control"] = "public, max-age=60";
            for (var i = 0; i < 12; i++)
            {
                await context.Response.WriteAsync(chunk);
            }
        });
        await using var host = await TestHost.StartAsync(handler);

        using var first = await host.GetAsync("/big");
        using var second = await host.GetAsync("/big");

        Assert.Equal(1, handler.Calls);
        Assert.Equal(12 * chunk.Length, (await second.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal(12 * chunk.Length, first.Content.Headers.ContentLength); // sent with a length, not chunked
    }

    [Fact]
    public async Task Any_status_but_206_and_304_is_cached()
    {
        var handler = new RecordingHandler((context, call) =>
        {
            context.Response.StatusCode = 404;
            return RecordingHandler.Cacheable(context, call);
        });
        await using var host = await TestHost.StartAsync(handler);

        using var first = await host.GetAsync("/missing");
        using var second = await host.GetAsync("/missing");

        Assert.Equal(1, handler.Calls);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, second.StatusCode);
    }

    [Fact]
    public async Task Pipelined_requests_are_answered_in_order_from_the_cache()
    {
        var handler = new RecordingHandler();
        await using var host = await TestHost.StartAsync(handler);
        await host.GetAsync("/p");

        var raw = await host.RawAsync("GET /p HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /q HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /p HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");

        Assert.Equal(2, handler.Calls);
        var bodies = raw.Split("HTTP/1.1 200 OK").Skip(1).Select(r => r[(r.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..]).ToArray();
        Assert.Equal(["call 1 /p", "call 2 /q", "call 1 /p"], bodies);
    }

    [Fact]
    public async Task An_HTTP_1_0_keep_alive_client_gets_Connection_keep_alive_on_a_hit()
    {
        var handler = new RecordingHandler();
        await using var host = await TestHost.StartAsync(handler);
        await host.GetAsync("/k");

        var raw = await host.RawAsync("GET /k HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\nGET /k HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n");

        Assert.Equal(1, handler.Calls);
        var responses = raw.Split("HTTP/1.1 200 OK").Skip(1).ToArray();
        Assert.Equal(2, responses.Length);
        Assert.Contains("Connection: keep-alive\r\n", responses[0]);
        Assert.Contains("Connection: close\r\n", responses[1]);
    }

    [Fact]
    public async Task Stopping_the_listener_drops_its_entries()
    {
        var handler = new RecordingHandler();
        await using var host = await TestHost.StartAsync(handler);
        await host.GetAsync("/s");
        Assert.Single(host.Server.GetResponseCacheEntries());

        await host.Group.StopAsync(TimeSpan.FromSeconds(5));

        Assert.Empty(host.Server.GetResponseCacheEntries());
        Assert.Equal(0, host.Group.RequestQueue.GetStatistics().CacheEntries);
    }

    [Fact]
    public async Task Static_files_with_a_public_Cache_Control_are_cached_and_revalidations_go_to_the_handler()
    {
        using var dir = new TempDir();
        File.WriteAllText(Path.Combine(dir.Path, "a.txt"), "static body");
        var files = new StaticFileHandler(dir.Path, new StaticFileOptions { CacheControl = "public, max-age=300" });
        var handler = new RecordingHandler((context, _) => files.HandleAsync(context, context.RequestAborted));
        await using var host = await TestHost.StartAsync(handler);

        using var first = await host.GetAsync("/a.txt");
        using var second = await host.GetAsync("/a.txt");
        using var revalidate = await host.GetAsync("/a.txt", ("If-None-Match", first.Headers.ETag!.ToString()));

        Assert.Equal(2, handler.Calls);
        Assert.Equal("static body", await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal(System.Net.HttpStatusCode.NotModified, revalidate.StatusCode);
        Assert.Single(host.Server.GetResponseCacheEntries()); // the 304 did not replace the 200
    }

    [Fact]
    public async Task Cache_entries_are_listed_with_url_listener_size_and_hits()
    {
        var handler = new RecordingHandler();
        await using var host = await TestHost.StartAsync(handler);
        await host.GetAsync("/x?y=1", ("Host", "Site.Example"));
        await host.GetAsync("/x?y=1", ("Host", "site.example"));

        var entry = Assert.Single(host.Server.GetResponseCacheEntries());

        Assert.Equal($"http://site.example:{host.Port}/x?y=1", entry.Url);
        Assert.Equal("test", entry.UrlGroup);
        Assert.Equal(200, entry.StatusCode);
        Assert.Equal(Encoding.ASCII.GetByteCount("call 1 /x?y=1"), entry.BodyBytes);
        Assert.Equal(1, entry.Hits);
        Assert.True(entry.TimeToLive > TimeSpan.FromSeconds(50));
    }
}
