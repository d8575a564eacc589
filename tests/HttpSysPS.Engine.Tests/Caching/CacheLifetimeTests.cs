using HttpSysPS.Engine.Handlers;

namespace HttpSysPS.Engine.Tests.Caching;

/// <summary>Expiry, idle scavenging and the byte budget, on a clock that moves only when the test moves it.</summary>
public sealed class CacheLifetimeTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static RecordingHandler Handler(string cacheControl, string? expires = null) => new((context, call) =>
    {
        var response = context.Response;
        response.ContentType = "text/plain";
        response.Headers["Cache-Control"] = cacheControl;
        if (expires is not null)
        {
            response.Headers["Expires"] = expires;
        }

        return response.WriteAsync($"call {call}");
    });

    // Each request on its own connection: advancing the clock past IdleConnection (120 s) closes idle connections.
    private static async Task<string> Get(TestHost host, string path = "/t")
    {
        using var response = await host.SendAsync(path, close: true);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task An_entry_lives_for_max_age_and_not_a_second_longer()
    {
        var clock = new ManualTimeProvider(Start);
        var handler = Handler("public, max-age=10");
        await using var host = await TestHost.StartAsync(handler, new HttpServerOptions { TimeProvider = clock });

        Assert.Equal("call 1", await Get(host));
        clock.Advance(TimeSpan.FromSeconds(9.9));
        Assert.Equal("call 1", await Get(host));
        clock.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal("call 2", await Get(host));
        Assert.Equal("call 2", await Get(host));
    }

    [Fact]
    public async Task s_maxage_sets_the_lifetime_over_max_age()
    {
        var clock = new ManualTimeProvider(Start);
        var handler = Handler("public, max-age=5, s-maxage=30");
        await using var host = await TestHost.StartAsync(handler, new HttpServerOptions { TimeProvider = clock });

        await Get(host);
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal("call 1", await Get(host));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("call 2", await Get(host));
    }

    [Fact]
    public async Task Expires_is_measured_against_the_injected_clock()
    {
        var clock = new ManualTimeProvider(Start);
        var handler = Handler("public", Start.AddSeconds(30).ToString("r"));
        await using var host = await TestHost.StartAsync(handler, new HttpServerOptions { TimeProvider = clock });

        await Get(host);
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal("call 1", await Get(host));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("call 2", await Get(host)); // and Expires is now past: not stored again
        Assert.Equal("call 3", await Get(host));
    }

    [Fact]
    public async Task An_entry_idle_for_the_scavenger_period_is_removed_by_the_heartbeat()
    {
        var clock = new ManualTimeProvider(Start);
        var handler = Handler("public, max-age=3600");
        await using var host = await TestHost.StartAsync(handler, new HttpServerOptions { TimeProvider = clock });

        await Get(host);
        clock.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(1, host.Group.RequestQueue.GetStatistics().CacheEntries);
        Assert.Equal("call 1", await Get(host)); // a hit resets the idle time

        clock.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(1, host.Group.RequestQueue.GetStatistics().CacheEntries);

        clock.Advance(TimeSpan.FromSeconds(1));
        var stats = host.Group.RequestQueue.GetStatistics();
        Assert.Equal(0, stats.CacheEntries);
        Assert.Equal(0, stats.CacheBytes);
        Assert.Equal("call 2", await Get(host));
    }

    [Fact]
    public async Task The_scavenger_period_is_an_option()
    {
        var clock = new ManualTimeProvider(Start);
        var handler = Handler("public, max-age=3600");
        var options = new HttpServerOptions { TimeProvider = clock, ResponseCacheScavengerPeriod = TimeSpan.FromSeconds(10) };
        await using var host = await TestHost.StartAsync(handler, options);

        await Get(host);
        clock.Advance(TimeSpan.FromSeconds(9));
        Assert.Single(host.Server.GetResponseCacheEntries());
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(host.Server.GetResponseCacheEntries());
    }

    [Fact]
    public async Task Over_the_byte_budget_the_least_recently_used_entries_go_first()
    {
        var clock = new ManualTimeProvider(Start);
        var handler = Handler("public, max-age=3600");
        await using var probe = await TestHost.StartAsync(Handler("public, max-age=3600"), new HttpServerOptions { TimeProvider = clock });
        await Get(probe, "/a");
        var entrySize = probe.Server.GetResponseCacheEntries().Single().TotalBytes;

        // Room for three entries (paths of equal length, bodies of equal length).
        var options = new HttpServerOptions { TimeProvider = clock, ResponseCacheMaxBytes = (3 * entrySize) + (entrySize / 2) };
        await using var host = await TestHost.StartAsync(handler, options);
        await Get(host, "/a");
        clock.Advance(TimeSpan.FromSeconds(1));
        await Get(host, "/b");
        clock.Advance(TimeSpan.FromSeconds(1));
        await Get(host, "/c");
        clock.Advance(TimeSpan.FromSeconds(1));
        await Get(host, "/a"); // hit: /a is now the most recently used, /b the least
        clock.Advance(TimeSpan.FromSeconds(1));

        await Get(host, "/d");

        var urls = host.Server.GetResponseCacheEntries().Select(e => new Uri(e.Url).AbsolutePath).ToArray();
        Assert.DoesNotContain("/b", urls);
        Assert.Contains("/a", urls);
        Assert.Contains("/d", urls);
        Assert.True(host.Server.GetResponseCacheEntries().Sum(e => e.TotalBytes) <= options.ResponseCacheMaxBytes);
        Assert.Equal(host.Server.GetResponseCacheEntries().Sum(e => e.TotalBytes), host.Group.RequestQueue.GetStatistics().CacheBytes);
    }

    [Fact]
    public async Task An_expired_entry_is_replaced_by_the_next_answer()
    {
        var clock = new ManualTimeProvider(Start);
        var handler = Handler("public, max-age=10");
        await using var host = await TestHost.StartAsync(handler, new HttpServerOptions { TimeProvider = clock });

        await Get(host);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal("call 2", await Get(host));
        clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("call 2", await Get(host));
        Assert.Equal(1, host.Group.RequestQueue.GetStatistics().CacheEntries);
    }
}
