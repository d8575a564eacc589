using System.Net;
using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Engine.Tests.Routing;

/// <summary>Registration rules of <see cref="PrefixTable{TTarget}"/>, snapshots, allocation and concurrency.</summary>
public class PrefixTableTests
{
    private static readonly IPAddress Local = IPAddress.Parse("10.0.0.1");

    [Theory]
    [InlineData("http://+:80/a/", "http://+:80/a/")]
    [InlineData("http://+:80/a/", "HTTP://+:80/A")]
    [InlineData("http://shop.example:80/", "http://SHOP.example/")]
    [InlineData("http://*:8080/x/", "http://*:8080/x")]
    [InlineData("http://10.0.0.4:80/", "http://10.0.0.4/")]
    [InlineData("http://[::1]:80/", "http://[0:0::1]/")]
    [InlineData("http://unix:/tmp/a.sock:/x/", "http://unix:/tmp/a.sock:/X")]
    public void Same_prefix_in_the_same_bucket_conflicts_and_names_the_owner(string first, string second)
    {
        var table = new PrefixTable<Group>();
        table.Register(UrlPrefix.Parse(first), new Group("first-owner"));

        var error = Assert.Throws<HttpSysException>(() => table.Register(UrlPrefix.Parse(second), new Group("second-owner")));

        Assert.Equal(HttpSysErrorReason.PrefixConflict, error.Reason);
        Assert.Equal(183, error.NativeErrorCode);
        Assert.Contains(UrlPrefix.Parse(second).FullPrefix, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("first-owner", error.Message, StringComparison.Ordinal);
        Assert.Equal("first-owner", Assert.Single(table.Registrations).Target.Name);
    }

    [Theory]
    [InlineData("http://+:80/x/", "http://shop.example:80/x/")]
    [InlineData("http://+:80/x/", "http://*:80/x/")]
    [InlineData("http://shop.example:80/x/", "http://10.0.0.4:80/x/")]
    [InlineData("http://shop.example:80/x/", "http://other.example:80/x/")]
    [InlineData("http://+:80/x/", "http://+:80/x/y/")]
    [InlineData("http://+:80/x/", "http://+:81/x/")]
    [InlineData("http://unix:/tmp/a.sock:/x/", "http://unix:/tmp/b.sock:/x/")]
    [InlineData("http://+:80/", "http://unix:/tmp/a.sock")]
    public void Same_url_in_different_buckets_or_endpoints_is_fine(string first, string second)
    {
        var table = new PrefixTable<Group>();
        table.Register(UrlPrefix.Parse(first), new Group("one"));
        table.Register(UrlPrefix.Parse(second), new Group("two"));

        Assert.Equal(2, table.Registrations.Count);
    }

    [Theory]
    [InlineData("http://+:8080/", "https://localhost:8080/api/", false, "port 8080", "http")]
    [InlineData("https://+:8443/", "http://*:8443/", false, "port 8443", "https")]
    [InlineData("http://+:8080/", "https://+:8080/", true, "port 8080", "http")] // a reservation counts too
    [InlineData("https://unix:/tmp/a.sock", "http://unix:/tmp/a.sock:/x/", false, "socket '/tmp/a.sock'", "https")]
    public void Http_and_https_never_share_a_port(string first, string second, bool firstIsReservation, string endpoint, string existingScheme)
    {
        var table = new PrefixTable<Group>();
        if (firstIsReservation)
        {
            table.Reserve(UrlPrefix.Parse(first));
        }
        else
        {
            table.Register(UrlPrefix.Parse(first), new Group("one"));
        }

        var register = Assert.Throws<HttpSysException>(() => table.Register(UrlPrefix.Parse(second), new Group("two")));
        var reserve = Assert.Throws<HttpSysException>(() => table.Reserve(UrlPrefix.Parse(second)));

        foreach (var error in new[] { register, reserve })
        {
            Assert.Equal(HttpSysErrorReason.SchemePortConflict, error.Reason);
            Assert.Contains(endpoint, error.Message, StringComparison.Ordinal);
            Assert.Contains($"already has {existingScheme} prefixes", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_port_freed_of_http_accepts_https()
    {
        var table = new PrefixTable<Group>();
        var owner = new Group("one");
        table.Register(UrlPrefix.Parse("http://+:8080/a/"), owner);
        table.Register(UrlPrefix.Parse("http://localhost:8080/b/"), owner);

        Assert.Equal(2, table.UnregisterAll(owner));
        table.Register(UrlPrefix.Parse("https://+:8080/"), new Group("tls"));

        Assert.Equal("tls", table.Route("https", "x", Local, 8080, "/").Target?.Name);
    }

    [Theory]
    [InlineData("http://+:0/")]
    [InlineData("http://localhost:0/api/")]
    public void Port_zero_must_be_resolved_before_registering(string text)
    {
        var table = new PrefixTable<Group>();
        var prefix = UrlPrefix.Parse(text);

        var error = Assert.Throws<ArgumentException>(() => table.Register(prefix, new Group("g")));
        Assert.Equal("prefix", error.ParamName);
        Assert.Contains("WithPort", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => table.Reserve(prefix));

        table.Register(prefix.WithPort(5123), new Group("g"));
        Assert.True(table.Route("http", "localhost", Local, 5123, "/api/").IsMatched);
    }

    [Fact]
    public void Unregister_only_removes_the_owners_registration()
    {
        var table = new PrefixTable<Group>();
        var owner = new Group("owner");
        var prefix = UrlPrefix.Parse("http://+:80/x/");
        table.Register(prefix, owner);

        Assert.False(table.Unregister(prefix, new Group("owner"))); // another instance with the same name
        Assert.False(table.Unregister(UrlPrefix.Parse("http://+:80/y/"), owner));
        Assert.True(table.Route("http", "h", Local, 80, "/x/").IsMatched);

        Assert.True(table.Unregister(UrlPrefix.Parse("HTTP://+:80/X/"), owner));
        Assert.False(table.Unregister(prefix, owner));
        Assert.Empty(table.Registrations);
        Assert.Equal(RouteOutcome.InvalidHostname, table.Route("http", "h", Local, 80, "/x/").Outcome);
    }

    [Fact]
    public void UnregisterAll_removes_every_prefix_of_one_target_only()
    {
        var table = new PrefixTable<Group>();
        var one = new Group("one");
        var two = new Group("two");
        table.Register(UrlPrefix.Parse("http://+:80/a/"), one);
        table.Register(UrlPrefix.Parse("http://+:81/b/"), one);
        table.Register(UrlPrefix.Parse("http://unix:/tmp/u.sock"), one);
        table.Register(UrlPrefix.Parse("http://+:80/c/"), two);

        Assert.Equal(3, table.UnregisterAll(one));
        Assert.Equal(0, table.UnregisterAll(one));

        var remaining = Assert.Single(table.Registrations);
        Assert.Same(two, remaining.Target);
        Assert.Equal(RouteOutcome.NotFound, table.Route("http", "h", Local, 80, "/a/").Outcome);
        Assert.Equal(RouteOutcome.InvalidHostname, table.Route("http", "h", Local, 81, "/b/").Outcome);
        Assert.Equal(RouteOutcome.InvalidHostname, table.RouteUnix("/tmp/u.sock", "h", "/").Outcome);
    }

    [Fact]
    public void A_reservation_black_holes_until_registered_and_after_unregistered()
    {
        var table = new PrefixTable<Group>();
        var owner = new Group("app");
        var prefix = UrlPrefix.Parse("http://+:80/app/");
        table.Register(UrlPrefix.Parse("http://*:80/"), new Group("fallback"));

        table.Reserve(prefix);
        table.Reserve(prefix); // idempotent
        Assert.Equal(RouteOutcome.Unavailable, table.Route("http", "h", Local, 80, "/app/x").Outcome);

        table.Register(prefix, owner);
        Assert.Same(owner, table.Route("http", "h", Local, 80, "/app/x").Target);

        Assert.True(table.Unregister(prefix, owner));
        var result = table.Route("http", "h", Local, 80, "/app/x");
        Assert.Equal(RouteOutcome.Unavailable, result.Outcome);
        Assert.Equal(prefix, result.Prefix);

        Assert.True(table.Unreserve(prefix));
        Assert.False(table.Unreserve(prefix));
        Assert.Equal("fallback", table.Route("http", "h", Local, 80, "/app/x").Target?.Name);
        Assert.Empty(table.Reservations);
    }

    [Fact]
    public void Unreserve_keeps_a_live_registration()
    {
        var table = new PrefixTable<Group>();
        var prefix = UrlPrefix.Parse("http://+:80/app/");
        table.Reserve(prefix);
        table.Register(prefix, new Group("app"));

        Assert.True(table.Unreserve(prefix));

        Assert.Equal("app", table.Route("http", "h", Local, 80, "/app/").Target?.Name);
        Assert.Single(table.Registrations);
        Assert.Empty(table.Reservations);
    }

    [Fact]
    public void Registrations_is_a_sorted_snapshot()
    {
        var table = new PrefixTable<Group>();
        table.Register(UrlPrefix.Parse("http://+:80/b/"), new Group("b"));
        table.Register(UrlPrefix.Parse("http://+:80/a/"), new Group("a"));
        var before = table.Registrations;

        table.Register(UrlPrefix.Parse("http://+:80/c/"), new Group("c"));

        Assert.Equal(["a", "b"], before.Select(r => r.Target.Name));
        Assert.Equal(["a", "b", "c"], table.Registrations.Select(r => r.Target.Name));
    }

    [Fact]
    public void Routing_a_match_allocates_nothing()
    {
        var table = new PrefixTable<Group>();
        for (var i = 0; i < 50; i++)
        {
            table.Register(UrlPrefix.Parse($"http://host{i}.example:80/app/"), new Group("g" + i));
        }

        table.Register(UrlPrefix.Parse("http://+:80/static/"), new Group("static"));
        table.Register(UrlPrefix.Parse("http://10.0.0.1:80/ip/"), new Group("ip"));
        table.Register(UrlPrefix.Parse("http://*:80/"), new Group("star"));
        var mapped = IPAddress.Parse("::ffff:10.0.0.1");

        // Warm up (JIT, tiering) before measuring.
        for (var i = 0; i < 100; i++)
        {
            RouteAll(table, mapped);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var matched = RouteAll(table, mapped);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(4, matched);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task Concurrent_writers_never_disturb_readers_of_a_stable_prefix()
    {
        var table = new PrefixTable<Group>();
        var stable = new Group("stable");
        table.Register(UrlPrefix.Parse("http://stable.example:80/stable/"), stable);
        const int WriterRounds = 1500;
        const int ReaderRoutes = 40_000;

        var writers = Enumerable.Range(0, 2).Select(w => Task.Run(() =>
        {
            var mine = new Group("writer" + w);
            for (var i = 0; i < WriterRounds; i++)
            {
                // Neighbours on other paths, hosts, buckets and ports: none of them may ever win /stable/.
                var onPath = UrlPrefix.Parse($"http://stable.example:80/w{w}/{i}/");
                var strong = UrlPrefix.Parse($"http://+:80/strong{w}/{i}/");
                var otherPort = UrlPrefix.Parse($"https://+:{9000 + w}/");
                table.Register(onPath, mine);
                table.Register(strong, mine);
                table.Reserve(UrlPrefix.Parse($"http://*:80/reserved{w}/"));
                table.Register(otherPort, mine);
                Assert.True(table.Unregister(onPath, mine));
                if (i % 2 == 0)
                {
                    table.UnregisterAll(mine);
                }
                else
                {
                    Assert.True(table.Unregister(strong, mine));
                    Assert.True(table.Unregister(otherPort, mine));
                }

                table.Unreserve(UrlPrefix.Parse($"http://*:80/reserved{w}/"));
            }
        })).ToArray();

        var writersDone = Task.WhenAll(writers);
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            var failures = 0;
            // At least ReaderRoutes, and on until the writers are done (their work is bounded, so this is too).
            for (var i = 0; i < ReaderRoutes || !writersDone.IsCompleted; i++)
            {
                var result = table.Route("http", "Stable.Example:80", Local, 80, "/stable/item");
                if (result.Outcome != RouteOutcome.Matched || !ReferenceEquals(result.Target, stable))
                {
                    failures++;
                }
            }

            return failures;
        })).ToArray();

        await writersDone;
        Assert.All(await Task.WhenAll(readers), failures => Assert.Equal(0, failures));
        Assert.Equal("stable", Assert.Single(table.Registrations).Target.Name);
    }

    private static int RouteAll(PrefixTable<Group> table, IPAddress mapped)
    {
        var matched = 0;
        matched += table.Route("http", "HOST42.example:80", Local, 80, "/app/x").IsMatched ? 1 : 0;
        matched += table.Route("http", "anything", Local, 80, "/static/file.css").IsMatched ? 1 : 0;
        matched += table.Route("http", "unknown.example", mapped, 80, "/ip/x").IsMatched ? 1 : 0;
        matched += table.Route("http", "", Local, 80, "/fallback").IsMatched ? 1 : 0;
        return matched;
    }
}
