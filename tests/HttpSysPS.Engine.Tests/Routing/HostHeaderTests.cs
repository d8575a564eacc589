using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Engine.Tests.Routing;

public class HostHeaderTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("example.com", "example.com")]
    [InlineData("Example.COM:8080", "Example.COM")]
    [InlineData("example.com.", "example.com")]
    [InlineData("example.com.:80", "example.com")]
    [InlineData("example.com:", "example.com")] // RFC 3986: empty port = default
    [InlineData("example.com:00080", "example.com")]
    [InlineData("my_host-1", "my_host-1")]
    [InlineData("10.0.0.4:80", "10.0.0.4")]
    [InlineData("[::1]", "[::1]")]
    [InlineData("[::1]:8080", "[::1]")]
    [InlineData("[::1]:", "[::1]")]
    [InlineData("[fe80::1:2]:65535", "[fe80::1:2]")]
    [InlineData("bücher.example", "bücher.example")]
    public void Accepts(string value, string expectedHost)
    {
        Assert.True(HostHeader.TryParse(value, out var host));
        Assert.Equal(expectedHost, host.ToString());
    }

    [Theory]
    [InlineData("http://x/vdir")]
    [InlineData("a/b")]
    [InlineData("user@host")]
    [InlineData("exa mple.com")]
    [InlineData(" example.com")]
    [InlineData("example.com\t")]
    [InlineData("[::1")]
    [InlineData("::1]")]
    [InlineData("::1")]
    [InlineData("[::1]x")]
    [InlineData("[]")]
    [InlineData("[zz]")]
    [InlineData("[10.0.0.1]")]
    [InlineData("[fe80::1%25eth0]")]
    [InlineData("host:80a")]
    [InlineData("host:-1")]
    [InlineData("host:65536")]
    [InlineData("host:123456")]
    [InlineData("host:80:80")]
    [InlineData(":80")]
    [InlineData(".")]
    [InlineData(".host")]
    [InlineData("a..b")]
    [InlineData("host%2ecom")]
    [InlineData("host,other")]
    public void Rejects(string value)
    {
        Assert.False(HostHeader.TryParse(value, out _));
    }
}
