using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Engine.Tests.Caching;

/// <summary>HttpFlushResponseCache / <c>netsh http delete cache</c>: flush by URL prefix, recursive or exact.</summary>
public sealed class CacheFlushTests
{
    private static async Task<(TestHost Host, RecordingHandler Handler)> Filled()
    {
        var handler = new RecordingHandler();
        var host = await TestHost.StartAsync(handler);
        foreach (var path in new[] { "/a/", "/a/x", "/a/x/deep", "/a/y?q=1", "/ab", "/b/z" })
        {
            await host.GetAsync(path, ("Host", "site.example"));
        }

        await host.GetAsync("/a/x", ("Host", "other.example"));
        return (host, handler);
    }

    private static string[] Paths(TestHost host) =>
        host.Server.GetResponseCacheEntries().Select(e => new Uri(e.Url).Host + new Uri(e.Url).PathAndQuery).ToArray();

    [Fact]
    public async Task A_recursive_flush_removes_everything_below_the_prefix_for_every_host_of_a_wildcard()
    {
        var (host, _) = await Filled();
        await using var _h = host;

        var removed = host.Server.FlushResponseCache(UrlPrefix.Parse($"http://+:{host.Port}/a/"), recursive: true);

        Assert.Equal(5, removed);
        Assert.Equal(["site.example/ab", "site.example/b/z"], Paths(host).Order());
        Assert.Equal(2, host.Group.RequestQueue.GetStatistics().CacheEntries);
    }

    [Fact]
    public async Task A_flush_for_one_host_leaves_the_other_hosts_entries()
    {
        var (host, _) = await Filled();
        await using var _h = host;

        var removed = host.Server.FlushResponseCache(UrlPrefix.Parse($"http://other.example:{host.Port}/"), recursive: true);

        Assert.Equal(1, removed);
        Assert.DoesNotContain("other.example/a/x", Paths(host));
        Assert.Equal(6, Paths(host).Length);
    }

    [Fact]
    public async Task A_non_recursive_flush_removes_only_that_URL()
    {
        var (host, handler) = await Filled();
        await using var _h = host;

        var removed = host.Server.FlushResponseCache(UrlPrefix.Parse($"http://site.example:{host.Port}/a/x"), recursive: false);

        Assert.Equal(1, removed);
        Assert.Contains("site.example/a/x/deep", Paths(host));
        Assert.Contains("other.example/a/x", Paths(host));
        var calls = handler.Calls;
        await host.GetAsync("/a/x", ("Host", "site.example"));
        Assert.Equal(calls + 1, handler.Calls);
    }

    [Fact]
    public async Task A_non_recursive_flush_of_a_directory_URL_removes_that_entry_with_every_query_string()
    {
        var (host, _) = await Filled();
        await using var _h = host;

        Assert.Equal(1, host.Server.FlushResponseCache(UrlPrefix.Parse($"http://+:{host.Port}/a/y"), recursive: false));
        Assert.Equal(1, host.Server.FlushResponseCache(UrlPrefix.Parse($"http://+:{host.Port}/a/"), recursive: false));
        Assert.Equal(5, Paths(host).Length);
    }

    [Fact]
    public async Task A_flush_on_another_port_or_scheme_removes_nothing()
    {
        var (host, _) = await Filled();
        await using var _h = host;

        Assert.Equal(0, host.Server.FlushResponseCache(UrlPrefix.Parse($"http://+:{(host.Port == 1 ? 2 : host.Port - 1)}/"), recursive: true));
        Assert.Equal(0, host.Server.FlushResponseCache(UrlPrefix.Parse($"https://+:{host.Port}/"), recursive: true));
        Assert.Equal(7, Paths(host).Length);
    }
}
