using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Engine.Tests.Routing;

public class UrlPrefixTests
{
    [Theory]
    [InlineData("http://+:80/", "http://+:80/", HostCategory.StrongWildcard, 80, "/")]
    [InlineData("HTTP://+:80/", "http://+:80/", HostCategory.StrongWildcard, 80, "/")]
    [InlineData("HttpS://+/", "https://+:443/", HostCategory.StrongWildcard, 443, "/")]
    [InlineData("http://*:8080/api", "http://*:8080/api/", HostCategory.WeakWildcard, 8080, "/api/")]
    [InlineData("http://example.com", "http://example.com:80/", HostCategory.Explicit, 80, "/")]
    [InlineData("https://Example.COM/Path/", "https://example.com:443/Path/", HostCategory.Explicit, 443, "/Path/")]
    [InlineData("http://example.com.:81/", "http://example.com:81/", HostCategory.Explicit, 81, "/")]
    [InlineData("http://my_host-1:65535/", "http://my_host-1:65535/", HostCategory.Explicit, 65535, "/")]
    [InlineData("http://bücher.example/", "http://xn--bcher-kva.example:80/", HostCategory.Explicit, 80, "/")]
    [InlineData("http://127.0.0.1:5000/", "http://127.0.0.1:5000/", HostCategory.IPBound, 5000, "/")]
    [InlineData("http://[::1]/", "http://[::1]:80/", HostCategory.IPBound, 80, "/")]
    [InlineData("http://[::1]:8080/x/", "http://[::1]:8080/x/", HostCategory.IPBound, 8080, "/x/")]
    [InlineData("http://[0:0:0:0:0:0:0:1]:8080/", "http://[::1]:8080/", HostCategory.IPBound, 8080, "/")]
    [InlineData("http://localhost:0/", "http://localhost:0/", HostCategory.Explicit, 0, "/")]
    [InlineData("http://+:80/a%20b/", "http://+:80/a b/", HostCategory.StrongWildcard, 80, "/a b/")]
    [InlineData("http://+:80/caf%C3%A9/", "http://+:80/café/", HostCategory.StrongWildcard, 80, "/café/")]
    [InlineData("http://+:80/a%2Fb", "http://+:80/a/b/", HostCategory.StrongWildcard, 80, "/a/b/")]
    [InlineData("http://+:80/a/./b/../c", "http://+:80/a/c/", HostCategory.StrongWildcard, 80, "/a/c/")]
    [InlineData("http://+:80//a//b//", "http://+:80/a/b/", HostCategory.StrongWildcard, 80, "/a/b/")]
    public void Parse_accepts_and_normalises(string input, string fullPrefix, HostCategory category, int port, string path)
    {
        var prefix = UrlPrefix.Parse(input);

        Assert.Equal(fullPrefix, prefix.FullPrefix);
        Assert.Equal(category, prefix.Category);
        Assert.Equal(port, prefix.Port);
        Assert.Equal(path, prefix.Path);
        Assert.False(prefix.IsUnixSocket);
        Assert.Equal(port == 0, prefix.IsDynamicPort);
    }

    [Theory]
    [InlineData("http://unix:/run/app.sock", "/run/app.sock", "/", "http://unix:/run/app.sock:/")]
    [InlineData("http://unix:/run/app.sock:/api", "/run/app.sock", "/api/", "http://unix:/run/app.sock:/api/")]
    [InlineData("HTTPS://UNIX:/tmp/s.sock:/A/", "/tmp/s.sock", "/A/", "https://unix:/tmp/s.sock:/A/")]
    public void Parse_accepts_unix_socket_form(string input, string socketPath, string path, string fullPrefix)
    {
        var prefix = UrlPrefix.Parse(input);

        Assert.True(prefix.IsUnixSocket);
        Assert.False(prefix.IsDynamicPort);
        Assert.Equal(socketPath, prefix.UnixSocketPath);
        Assert.Equal(path, prefix.Path);
        Assert.Equal(fullPrefix, prefix.FullPrefix);
        Assert.Equal(HostCategory.StrongWildcard, prefix.Category);
    }

    [Theory]
    [InlineData("+:80/", "missing scheme separator")]
    [InlineData("http:/+:80/", "missing scheme separator")]
    [InlineData("ftp://+:21/", "unsupported scheme 'ftp'")]
    [InlineData("ws://+:80/", "unsupported scheme 'ws'")]
    [InlineData("http://:80/", "empty host")]
    [InlineData("http:///", "empty host")]
    [InlineData("http://+:080/", "port '080' has a leading zero")]
    [InlineData("http://+:65536/", "port '65536' is out of range")]
    [InlineData("http://+:999999/", "port '999999' is out of range")]
    [InlineData("http://+:8o/", "port '8o' is not a decimal number")]
    [InlineData("http://+:+80/", "port '+80' is not a decimal number")]
    [InlineData("http://+:/", "empty port after ':'")]
    [InlineData("http://[::1]:/", "empty port after ':'")]
    [InlineData("http://::1:80/", "must be enclosed in brackets")]
    [InlineData("http://fe80::1/", "must be enclosed in brackets")]
    [InlineData("http://[::1/", "without closing ']'")]
    [InlineData("http://[::1]80/", "expected ':' and a port after the IPv6 address")]
    [InlineData("http://[::g]:80/", "'[::g]' is not a valid IPv6 address")]
    [InlineData("http://[10.0.0.1]:80/", "'[10.0.0.1]' is not a valid IPv6 address")]
    [InlineData("http://256.0.0.1:80/", "'256.0.0.1' is not a valid IPv4 address")]
    [InlineData("http://user@host:80/", "user information ('@')")]
    [InlineData("http://ho st:80/", "contains the character 'U+0020'")]
    [InlineData("http://a..b:80/", "has an empty label")]
    [InlineData("http://.a:80/", "has an empty label")]
    [InlineData("http://+:80/a?b/", "contains '?'")]
    [InlineData("http://+:80/a#b/", "contains '#'")]
    [InlineData("http://+?:80/", "'?' is not allowed")]
    [InlineData("http://+:80/a%zz/", "not a valid URL path (MalformedEscape)")]
    [InlineData("http://+:80/a%00/", "not a valid URL path (RestrictedCharacter)")]
    [InlineData("http://unix:run.sock", "needs an absolute socket path")]
    [InlineData("http://unix:", "needs an absolute socket path")]
    [InlineData("http://unix:/run/a.sock:api/", "the path after the socket must start with '/'")]
    public void Parse_rejects_malformed_prefix_naming_the_problem(string input, string expectedFragment)
    {
        var error = Assert.Throws<FormatException>(() => UrlPrefix.Parse(input));

        Assert.Contains(expectedFragment, error.Message, StringComparison.Ordinal);
        Assert.Contains(input, error.Message, StringComparison.Ordinal);
        Assert.False(UrlPrefix.TryParse(input, out var prefix, out var message));
        Assert.Null(prefix);
        Assert.Equal(error.Message, message);
    }

    [Fact]
    public void Equality_ignores_case_of_scheme_host_and_path()
    {
        var a = UrlPrefix.Parse("HTTP://Example.com:80/A/");
        var b = UrlPrefix.Parse("http://example.COM/a");

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(UrlPrefix.Parse("http://+:80/a/"), UrlPrefix.Parse("http://*:80/a/"));
    }

    [Fact]
    public void WithPort_resolves_a_dynamic_port_and_keeps_the_rest()
    {
        var resolved = UrlPrefix.Parse("http://localhost:0/api/").WithPort(5123);

        Assert.Equal("http://localhost:5123/api/", resolved.FullPrefix);
        Assert.False(resolved.IsDynamicPort);
        Assert.Throws<ArgumentOutOfRangeException>(() => resolved.WithPort(0));
        Assert.Throws<InvalidOperationException>(() => UrlPrefix.Parse("http://unix:/a.sock").WithPort(80));
    }

    [Theory]
    [InlineData("/dir/sna/", "/dir/sna/x", true)]
    [InlineData("/dir/sna/", "/dir/sna", true)]
    [InlineData("/dir/sna/", "/DIR/SNA/file", true)]
    [InlineData("/dir/sna/", "/dir/snake", false)]
    [InlineData("/dir/sna/", "/dir/app.htm", false)]
    [InlineData("/dir/sna/", "/dir/", false)]
    [InlineData("/", "/anything", true)]
    public void MatchesPath_is_whole_segment_and_case_insensitive(string prefixPath, string path, bool expected)
    {
        var prefix = UrlPrefix.Parse("http://+:80" + prefixPath);

        Assert.Equal(expected, prefix.MatchesPath(path));
    }
}
