using System.Management.Automation;
using HttpSysPS.PowerShell.Tests.Infrastructure;

namespace HttpSysPS.PowerShell.Tests;

/// <summary>
/// Get-/Clear-HttpSysResponseCache on responses really served and cached: a scriptblock listener answers a new GUID
/// per call with <c>Cache-Control: public, max-age=60</c>, so the same body twice is a cache hit and a new one is a
/// miss that reached the handler. The listeners of the process share one server and cache, so every test lists and
/// clears only its own listener's entries (by name, or by a URL on its own port).
/// </summary>
public sealed class ResponseCacheCmdletTests : IDisposable
{
    private const string Cacheable = "$Response.Headers['Cache-Control'] = 'public, max-age=60'; [guid]::NewGuid().ToString()";

    private readonly TestHost _host = new();
    private readonly ModuleSession _session;
    private readonly OwnedListeners _listeners;

    public ResponseCacheCmdletTests()
    {
        _session = new ModuleSession(_host);
        _listeners = new OwnedListeners(_session);
    }

    public void Dispose()
    {
        _listeners.Dispose();
        _session.Dispose();
    }

    [Fact]
    public async Task Get_lists_a_served_response_with_its_listener_size_hits_and_expiry()
    {
        var (name, root) = NewCachingListener("list");
        var body = await Cached(root + "page");
        var before = DateTime.UtcNow;

        var entry = Assert.Single(Ok("Get-HttpSysResponseCache -Name $args[0]", name));
        Assert.Equal("HttpSysPS.Cmdlets.Caching.HttpSysResponseCacheEntry", entry.BaseObject.GetType().FullName);
        Assert.Equal(root + "page", entry.Get<string>("Url"));
        Assert.Equal(name, entry.Get<string>("Listener"));
        Assert.Equal(200, entry.Get<int>("StatusCode"));
        Assert.Equal(body.Length, entry.Get<long>("BodyBytes"));
        Assert.True(entry.Get<long>("TotalBytes") > body.Length, "TotalBytes counts the head too.");
        Assert.Equal(1, entry.Get<long>("Hits"));
        var ttl = entry.Get<TimeSpan>("TimeToLive");
        Assert.InRange(ttl, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        Assert.InRange(entry.Get<DateTime>("Expires"), before, DateTime.UtcNow.AddSeconds(60));

        // The listener's own counters saw the same: one miss that stored, one hit.
        var queue = Assert.Single(Ok("Get-HttpSysRequestQueue -Name $args[0]", name));
        Assert.Equal(1, queue.Get<long>("CacheHits"));
        Assert.Equal(1, queue.Get<long>("CacheMisses"));

        // -Url filters by prefix; Get-HttpSysListener's output binds -Name.
        Assert.Single(Ok("Get-HttpSysListener -Name $args[0] | Get-HttpSysResponseCache -Url $args[1]", name, root));
        Assert.Empty(Ok("Get-HttpSysResponseCache -Name $args[0] -Url $args[1]", name, root + "other/"));
    }

    [Fact]
    public async Task WhatIf_keeps_the_entry_and_the_next_request_still_hits()
    {
        var (name, root) = NewCachingListener("whatif");
        var body = await Cached(root + "page");

        _host.Clear();
        Assert.Empty(Ok("Clear-HttpSysResponseCache -Url $args[0] -PassThru -WhatIf", root + "page"));
        Assert.Empty(Ok("Clear-HttpSysResponseCache -Name $args[0] -PassThru -WhatIf", name));
        Assert.Equal(
            [
                $"What if: Performing the operation \"Clear the response cache of this URL\" on target \"{root}page\".",
                $"What if: Performing the operation \"Clear the response cache under the listener's URL prefixes\" on target \"{name}\".",
            ],
            HostLines());

        Assert.Single(Ok("Get-HttpSysResponseCache -Name $args[0]", name));
        Assert.Equal(body, (await Http.GetAsync(root + "page")).Body);
    }

    [Fact]
    public async Task Clear_by_Url_removes_the_entry_and_the_next_request_misses()
    {
        var (name, root) = NewCachingListener("byurl");
        var body = await Cached(root + "page");

        Assert.Equal(1, Assert.Single(Ok("Clear-HttpSysResponseCache -Url $args[0] -PassThru", root + "page")).BaseObject);
        Assert.Empty(Ok("Get-HttpSysResponseCache -Name $args[0]", name));

        var next = (await Http.GetAsync(root + "page")).Body;
        Assert.NotEqual(body, next);
        Assert.Equal(2, Assert.Single(Ok("Get-HttpSysRequestQueue -Name $args[0]", name)).Get<long>("CacheMisses"));

        // The new answer is cached again, and clearing what is not there is no error.
        Assert.Equal(next, (await Http.GetAsync(root + "page")).Body);
        Assert.Equal(0, Assert.Single(Ok("Clear-HttpSysResponseCache -Url $args[0] -PassThru", root + "absent")).BaseObject);
    }

    [Fact]
    public async Task Without_Recursive_only_the_URL_itself_goes_with_every_query_string()
    {
        var (name, root) = NewCachingListener("recursive");
        await Cached(root + "a");
        await Cached(root + "a?page=2");
        await Cached(root + "a/b");

        Assert.Equal(2, Assert.Single(Ok("Clear-HttpSysResponseCache $args[0] -PassThru", root + "a")).BaseObject);
        Assert.Equal([root + "a/b"], Urls(name));

        await Cached(root + "a");
        Assert.Equal(2, Assert.Single(Ok("Clear-HttpSysResponseCache $args[0] -Recursive -PassThru", root + "a/")).BaseObject);
        Assert.Empty(Urls(name));
    }

    [Fact]
    public async Task Get_piped_to_Clear_removes_each_listed_entry()
    {
        var (name, root) = NewCachingListener("piped");
        var first = await Cached(root + "x");
        await Cached(root + "y?q=1");

        Assert.Equal([1, 1], Ok("Get-HttpSysResponseCache -Name $args[0] | Clear-HttpSysResponseCache -PassThru", name).Select(o => (int)o.BaseObject));
        Assert.Empty(Urls(name));
        Assert.NotEqual(first, (await Http.GetAsync(root + "x")).Body);
    }

    [Fact]
    public async Task Clear_by_listener_from_Get_HttpSysListener_removes_its_entries_and_no_other_listeners()
    {
        var (name, root) = NewCachingListener("bylistener");
        var (other, otherRoot) = NewCachingListener("bystander");
        var page = await Cached(root + "page");
        await Cached(root + "more/page");
        var kept = await Cached(otherRoot + "page");

        Assert.Equal([2], Ok("Get-HttpSysListener -Name $args[0] | Clear-HttpSysResponseCache -PassThru", name).Select(o => (int)o.BaseObject));
        Assert.Empty(Urls(name));
        Assert.Equal([otherRoot + "page"], Urls(other));
        Assert.NotEqual(page, (await Http.GetAsync(root + "page")).Body);
        Assert.Equal(kept, (await Http.GetAsync(otherRoot + "page")).Body);
    }

    [Fact]
    public async Task Confirm_No_keeps_the_entry()
    {
        var (name, root) = NewCachingListener("confirm");
        var body = await Cached(root + "page");

        _host.Answer("No");
        Assert.Empty(Ok("Clear-HttpSysResponseCache -Name $args[0] -PassThru -Confirm", name));
        Assert.Contains(name, Assert.Single(_host.Prompts));
        Assert.Equal(body, (await Http.GetAsync(root + "page")).Body);
    }

    [Fact]
    public void A_malformed_URL_and_an_unknown_listener_are_errors_with_stable_ids()
    {
        var bad = _session.Run("Clear-HttpSysResponseCache -Url 'http://host:notaport/'");
        Assert.Equal("MalformedPrefix,HttpSysPS.Cmdlets.ClearHttpSysResponseCacheCommand", Assert.Single(bad.Errors).FullyQualifiedErrorId);

        var missing = ModuleSession.UniqueName("missing");
        Assert.Equal("NotFound,HttpSysPS.Cmdlets.ClearHttpSysResponseCacheCommand", Assert.Single(_session.Run("Clear-HttpSysResponseCache -Name $args[0]", missing).Errors).FullyQualifiedErrorId);
        Assert.Equal("NotFound,HttpSysPS.Cmdlets.GetHttpSysResponseCacheCommand", Assert.Single(_session.Run("Get-HttpSysResponseCache -Name $args[0]", missing).Errors).FullyQualifiedErrorId);
        Assert.Equal("MalformedPrefix,HttpSysPS.Cmdlets.GetHttpSysResponseCacheCommand", Assert.Single(_session.Run("Get-HttpSysResponseCache -Url 'nonsense'").Errors).FullyQualifiedErrorId);
    }

    // A started listener on its own port whose every answer is cacheable; returns its name and bound root URL.
    private (string Name, string Root) NewCachingListener(string stem)
    {
        var name = _listeners.Name(stem);
        var listener = Assert.Single(Ok($"New-HttpSysListener -UrlPrefix 'http://localhost:0/c/' -Name $args[0] -Start -ScriptBlock {{ {Cacheable} }}", name));
        return (name, Assert.Single(listener.Strings("BoundUrl")));
    }

    // GETs url twice: the handler answers the first, the cache the second (the same GUID).
    private static async Task<string> Cached(string url)
    {
        var first = (await Http.GetAsync(url)).Body;
        Assert.Equal(first, (await Http.GetAsync(url)).Body);
        return first;
    }

    private string[] Urls(string listener) => [.. Ok("Get-HttpSysResponseCache -Name $args[0]", listener).Select(e => e.Get<string>("Url"))];

    private PSObject[] Ok(string script, params object?[] arguments)
    {
        var result = _session.Run(script, arguments);
        Assert.True(result.Errors.Length == 0, $"{script}: {string.Join(Environment.NewLine, result.Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}"))}");
        return [.. result.Output];
    }

    private string[] HostLines() => [.. _host.Lines.Select(l => l.TrimEnd()).Where(l => l.Length > 0)];
}
