using HttpSysPS.Engine.Caching;

namespace HttpSysPS.Engine.Tests.Caching;

public sealed class ResponseCacheKeyTests
{
    private static ResponseCacheKey Key(string host, string path = "/p", string query = "", int port = 80, string scheme = "http")
    {
        Assert.True(ResponseCacheKey.TryCreate(scheme, host, port, path, query, out var key));
        return key;
    }

    [Theory]
    [InlineData("Example.COM", "example.com")]
    [InlineData("example.com:8080", "example.com")]
    [InlineData("example.com.", "example.com")]
    [InlineData("[::1]:80", "[::1]")]
    public void Host_case_port_and_trailing_dot_do_not_split_entries(string a, string b)
    {
        Assert.Equal(Key(a), Key(b));
        Assert.Equal(Key(a).GetHashCode(), Key(b).GetHashCode());
        Assert.Equal(Key(a), Key(b).ToStored());
    }

    [Fact]
    public void Hosts_ports_schemes_paths_and_queries_all_separate_entries()
    {
        var baseKey = Key("a.example");
        Assert.NotEqual(baseKey, Key("b.example"));
        Assert.NotEqual(baseKey, Key("a.example", port: 81));
        Assert.NotEqual(baseKey, Key("a.example", scheme: "https"));
        Assert.NotEqual(baseKey, Key("a.example", path: "/P"));
        Assert.NotEqual(baseKey, Key("a.example", query: "?x=1"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("bad host")]
    public void A_missing_or_malformed_host_is_not_a_key(string host) =>
        Assert.False(ResponseCacheKey.TryCreate("http", host, 80, "/", "", out _));
}
