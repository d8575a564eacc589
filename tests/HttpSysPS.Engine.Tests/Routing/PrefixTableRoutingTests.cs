using System.Net;
using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Engine.Tests.Routing;

/// <summary>Table-driven routing: named sets of registrations/reservations, one request per case.</summary>
public class PrefixTableRoutingTests
{
    // "R:" = reservation only; anything else = target name.
    private static readonly Dictionary<string, (string Prefix, string Target)[]> Sets = new()
    {
        // The example of the HTTP.sys docs (spec §1.3).
        ["docs"] = [("http://+:80/vroot/", "app1"), ("http://adatum.com:80/", "app2"), ("http://*:80/", "app3")],
        // Trap 1: bucket first, then longest path.
        ["trap1"] = [("http://+:8080/", "plus"), ("http://api.example:8080/api/", "explicit")],
        ["ip"] = [("http://10.0.0.4:80/", "ip10"), ("http://[::1]:80/v6/", "ip6"), ("http://localhost:80/", "local")],
        // Spec §1.5: only localhost registered.
        ["localhost"] = [("http://localhost:5000/", "app")],
        // Spec §1.5: WinRM.
        ["wsman"] = [("https://+:5986/wsman/", "winrm")],
        ["segments"] = [("http://+:80/dir/sna/", "sna"), ("http://+:80/dir/", "dir")],
        ["explicit-paths"] = [("http://a.example:80/", "a-root"), ("http://a.example:80/x/y/", "a-xy"), ("http://b.example:80/x/", "b-x")],
        ["reserved"] = [("http://+:80/api/", "R:"), ("http://api.example:80/", "site"), ("http://+:80/", "R:")],
        ["reserved-and-registered"] = [("http://+:80/app/", "R:"), ("http://+:80/app/", "app"), ("http://+:80/app/private/", "R:")],
        ["same-url-two-buckets"] = [("http://+:80/x/", "plus"), ("http://shop.example:80/x/", "shop"), ("http://*:80/x/", "star")],
        ["idn"] = [("http://bücher.example:80/", "idn")],
        ["weak"] = [("http://*:80/", "star")],
        ["case"] = [("http://+:80/Mixed/Case/", "mixed")],
    };

    public static TheoryData<string, string, string?, int, string, string, RouteOutcome, string?> Cases => new()
    {
        // set, host header, local address, local port, cooked path, scheme, outcome, target
        { "docs", "adatum.com", "10.0.0.1", 80, "/vroot/x", "http", RouteOutcome.Matched, "app1" },
        { "docs", "adatum.com", "10.0.0.1", 80, "/default.htm", "http", RouteOutcome.Matched, "app2" },
        { "docs", "other.com", "10.0.0.1", 80, "/file", "http", RouteOutcome.Matched, "app3" },
        { "docs", "ADATUM.com", "10.0.0.1", 80, "/default.htm", "http", RouteOutcome.Matched, "app2" },
        { "docs", "adatum.com:80", "10.0.0.1", 80, "/default.htm", "http", RouteOutcome.Matched, "app2" },
        { "docs", "adatum.com:8080", "10.0.0.1", 80, "/default.htm", "http", RouteOutcome.Matched, "app2" }, // Host port ignored
        { "docs", "adatum.com.", "10.0.0.1", 80, "/default.htm", "http", RouteOutcome.Matched, "app2" },
        { "docs", "adatum.com", "10.0.0.1", 80, "/VROOT/x", "http", RouteOutcome.Matched, "app1" },
        { "docs", "adatum.com", "10.0.0.1", 80, "/vroot", "http", RouteOutcome.Matched, "app1" },
        { "docs", "adatum.com", "10.0.0.1", 80, "/vrootx", "http", RouteOutcome.Matched, "app2" },
        { "docs", "other.com", "10.0.0.1", 80, "/vroot/", "http", RouteOutcome.Matched, "app1" },
        { "docs", "", "10.0.0.1", 80, "/file", "http", RouteOutcome.Matched, "app3" }, // HTTP/1.0, no Host
        { "docs", "", "10.0.0.1", 80, "/vroot/a", "http", RouteOutcome.Matched, "app1" },
        { "docs", "adatum.com", "10.0.0.1", 81, "/", "http", RouteOutcome.InvalidHostname, null }, // nothing on that port
        { "docs", "adatum.com", "10.0.0.1", 80, "/", "https", RouteOutcome.InvalidHostname, null }, // nothing for that scheme
        { "docs", "adatum.com/x", "10.0.0.1", 80, "/", "http", RouteOutcome.InvalidHostname, null },
        { "trap1", "api.example:8080", "127.0.0.1", 8080, "/api/x", "http", RouteOutcome.Matched, "plus" },
        { "trap1", "api.example", "127.0.0.1", 8080, "/api", "http", RouteOutcome.Matched, "plus" },
        { "ip", "whatever.example", "10.0.0.4", 80, "/a", "http", RouteOutcome.Matched, "ip10" }, // Host ignored for IP-bound
        { "ip", "", "10.0.0.4", 80, "/a", "http", RouteOutcome.Matched, "ip10" },
        { "ip", "10.0.0.4", "10.0.0.5", 80, "/a", "http", RouteOutcome.InvalidHostname, null }, // Host is not the local address
        { "ip", "localhost", "10.0.0.4", 80, "/a", "http", RouteOutcome.Matched, "local" }, // explicit before IP-bound
        { "ip", "x", "::ffff:10.0.0.4", 80, "/a", "http", RouteOutcome.Matched, "ip10" }, // dual-stack socket
        { "ip", "[::1]:80", "::1", 80, "/v6/a", "http", RouteOutcome.Matched, "ip6" },
        { "ip", "[::1]", "::1", 80, "/V6", "http", RouteOutcome.Matched, "ip6" },
        { "ip", "[::1]", "::1", 80, "/other", "http", RouteOutcome.NotFound, null }, // IP site exists, path does not
        { "ip", "x", null, 80, "/a", "http", RouteOutcome.InvalidHostname, null },
        { "localhost", "localhost:5000", "127.0.0.1", 5000, "/", "http", RouteOutcome.Matched, "app" },
        { "localhost", "LOCALHOST", "127.0.0.1", 5000, "/x", "http", RouteOutcome.Matched, "app" },
        { "localhost", "127.0.0.1:5000", "127.0.0.1", 5000, "/", "http", RouteOutcome.InvalidHostname, null },
        { "localhost", "machinename", "127.0.0.1", 5000, "/", "http", RouteOutcome.InvalidHostname, null },
        { "localhost", "", "127.0.0.1", 5000, "/", "http", RouteOutcome.InvalidHostname, null }, // HTTP/1.0: host = local IP
        { "localhost", "[::1]:5000", "::1", 5000, "/", "http", RouteOutcome.InvalidHostname, null },
        { "wsman", "server.example:5986", "10.0.0.1", 5986, "/", "https", RouteOutcome.NotFound, null },
        { "wsman", "server.example:5986", "10.0.0.1", 5986, "/wsman", "https", RouteOutcome.Matched, "winrm" },
        { "wsman", "server.example", "10.0.0.1", 5986, "/WSMan/x", "HTTPS", RouteOutcome.Matched, "winrm" },
        { "wsman", "server.example", "10.0.0.1", 5986, "/wsman", "http", RouteOutcome.InvalidHostname, null },
        { "segments", "h", "10.0.0.1", 80, "/dir/snake", "http", RouteOutcome.Matched, "dir" },
        { "segments", "h", "10.0.0.1", 80, "/dir/sna/x", "http", RouteOutcome.Matched, "sna" },
        { "segments", "h", "10.0.0.1", 80, "/dir/sna", "http", RouteOutcome.Matched, "sna" },
        { "segments", "h", "10.0.0.1", 80, "/dir/app.htm", "http", RouteOutcome.Matched, "dir" },
        { "segments", "h", "10.0.0.1", 80, "/dir", "http", RouteOutcome.Matched, "dir" },
        { "segments", "h", "10.0.0.1", 80, "/other", "http", RouteOutcome.NotFound, null },
        { "explicit-paths", "a.example", "10.0.0.1", 80, "/x/y/z", "http", RouteOutcome.Matched, "a-xy" },
        { "explicit-paths", "a.example", "10.0.0.1", 80, "/x/z", "http", RouteOutcome.Matched, "a-root" },
        { "explicit-paths", "b.example", "10.0.0.1", 80, "/x/y/z", "http", RouteOutcome.Matched, "b-x" },
        { "explicit-paths", "b.example", "10.0.0.1", 80, "/y", "http", RouteOutcome.NotFound, null },
        { "explicit-paths", "c.example", "10.0.0.1", 80, "/x/", "http", RouteOutcome.InvalidHostname, null },
        { "reserved", "api.example", "10.0.0.1", 80, "/api/x", "http", RouteOutcome.Unavailable, null }, // reservation in '+' wins
        { "reserved", "api.example", "10.0.0.1", 80, "/other", "http", RouteOutcome.Unavailable, null }, // '+' '/' reservation too
        { "reserved-and-registered", "h", "10.0.0.1", 80, "/app/x", "http", RouteOutcome.Matched, "app" },
        { "reserved-and-registered", "h", "10.0.0.1", 80, "/app/private/x", "http", RouteOutcome.Unavailable, null },
        { "reserved-and-registered", "h", "10.0.0.1", 80, "/", "http", RouteOutcome.NotFound, null },
        { "same-url-two-buckets", "shop.example", "10.0.0.1", 80, "/x/1", "http", RouteOutcome.Matched, "plus" },
        { "same-url-two-buckets", "shop.example", "10.0.0.1", 80, "/y", "http", RouteOutcome.NotFound, null },
        { "idn", "xn--bcher-kva.example", "10.0.0.1", 80, "/", "http", RouteOutcome.Matched, "idn" },
        { "idn", "bücher.example:80", "10.0.0.1", 80, "/", "http", RouteOutcome.Matched, "idn" },
        { "idn", "bucher.example", "10.0.0.1", 80, "/", "http", RouteOutcome.InvalidHostname, null },
        { "weak", "[::1]:8080", "::1", 80, "/", "http", RouteOutcome.Matched, "star" },
        { "weak", "anything.example:", "10.0.0.1", 80, "/", "http", RouteOutcome.Matched, "star" },
        { "weak", "user@host", "10.0.0.1", 80, "/", "http", RouteOutcome.InvalidHostname, null }, // bad syntax beats '*'
        { "weak", "a b", "10.0.0.1", 80, "/", "http", RouteOutcome.InvalidHostname, null },
        { "weak", "[::1", "::1", 80, "/", "http", RouteOutcome.InvalidHostname, null },
        { "weak", "host:8o", "10.0.0.1", 80, "/", "http", RouteOutcome.InvalidHostname, null },
        { "case", "h", "10.0.0.1", 80, "/mixed/case/file", "http", RouteOutcome.Matched, "mixed" },
        { "case", "h", "10.0.0.1", 80, "/MIXED/CASE", "http", RouteOutcome.Matched, "mixed" },
        { "case", "h", "10.0.0.1", 80, "/mixed/cases", "http", RouteOutcome.NotFound, null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Routes(string set, string host, string? localAddress, int port, string path, string scheme, RouteOutcome outcome, string? target)
    {
        var (table, registered) = Build(Sets[set]);

        var result = table.Route(scheme, host, localAddress is null ? null : IPAddress.Parse(localAddress), port, path);

        Assert.Equal(outcome, result.Outcome);
        Assert.Equal(target, result.Target?.Name);
        if (outcome == RouteOutcome.Matched)
        {
            // The prefix handed back is the one that was registered for that target (the handler's base path).
            Assert.Same(registered[target!], result.Prefix);
            Assert.True(result.IsMatched);
        }
        else if (outcome == RouteOutcome.Unavailable)
        {
            Assert.NotNull(result.Prefix);
            Assert.Contains(result.Prefix, table.Reservations);
        }
        else
        {
            Assert.Null(result.Prefix);
        }
    }

    [Theory]
    [InlineData("/api/v1", RouteOutcome.Matched, "api")]
    [InlineData("/API", RouteOutcome.Matched, "api")]
    [InlineData("/", RouteOutcome.Matched, "root")]
    [InlineData("/apix", RouteOutcome.Matched, "root")]
    public void Routes_on_a_unix_socket(string path, RouteOutcome outcome, string target)
    {
        var (table, _) = Build([("http://unix:/tmp/routing-test.sock:/api/", "api"), ("http://unix:/tmp/routing-test.sock", "root")]);

        var result = table.RouteUnix("/tmp/routing-test.sock", "localhost", path);

        Assert.Equal(outcome, result.Outcome);
        Assert.Equal(target, result.Target?.Name);
    }

    [Theory]
    [InlineData("/tmp/routing-test.sock", "localhost", "/x", RouteOutcome.NotFound)]
    [InlineData("/tmp/routing-test.sock", "", "/x", RouteOutcome.NotFound)]
    [InlineData("/tmp/routing-test.sock", "bad/host", "/api/", RouteOutcome.InvalidHostname)]
    [InlineData("/tmp/other.sock", "localhost", "/api/", RouteOutcome.InvalidHostname)]
    public void Unix_socket_misses(string socket, string host, string path, RouteOutcome outcome)
    {
        var (table, _) = Build([("http://unix:/tmp/routing-test.sock:/api/", "api")]);

        Assert.Equal(outcome, table.RouteUnix(socket, host, path).Outcome);
    }

    private static (PrefixTable<Group> Table, Dictionary<string, UrlPrefix> Registered) Build((string Prefix, string Target)[] entries)
    {
        var table = new PrefixTable<Group>();
        var registered = new Dictionary<string, UrlPrefix>();
        foreach (var (text, target) in entries)
        {
            var prefix = UrlPrefix.Parse(text);
            if (target == "R:")
            {
                table.Reserve(prefix);
            }
            else
            {
                table.Register(prefix, new Group(target));
                registered[target] = prefix;
            }
        }

        return (table, registered);
    }
}
