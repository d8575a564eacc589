using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Engine.Tests.Routing;

public class PathCanonicalizerTests
{
    [Theory]
    [InlineData("/", "/")]
    [InlineData("/a/b", "/a/b")] // already canonical: the fast path
    [InlineData("/a/b/", "/a/b/")]
    [InlineData("/a.b/c-d_e~f", "/a.b/c-d_e~f")]
    [InlineData(@"/a\b", "/a/b")]
    [InlineData(@"\a\b\", "/a/b/")]
    [InlineData("/a%2Fb", "/a/b")]
    [InlineData("/a%2fb", "/a/b")]
    [InlineData("/base%5cball", "/base/ball")]
    [InlineData("/a//b", "/a/b")]
    [InlineData("///a", "/a")]
    [InlineData("/a/./b", "/a/b")]
    [InlineData("/a/b/.", "/a/b/")]
    [InlineData("/a/../b", "/b")]
    [InlineData("/a/b/..", "/a/")]
    [InlineData("/../a", "/a")]
    [InlineData("/..", "/")]
    [InlineData("/a/%2e%2e/b", "/b")]
    [InlineData("/a/.%2E/b", "/b")]
    [InlineData("/a/%2E/b", "/a/b")]
    // HTTP.sys collapses '//' before resolving '..' (see docs/routing.md for why this is /base/ball).
    [InlineData("/base/call//../ball", "/base/ball")]
    [InlineData("/base/call/../ball//path1//path2", "/base/ball/path1/path2")]
    [InlineData("/%41%62c", "/Abc")]
    [InlineData("/%u0041", "/A")]
    [InlineData("/%U00e9", "/é")]
    [InlineData("/caf%C3%A9", "/café")]
    [InlineData("/%F0%9F%98%80", "/\U0001F600")]
    [InlineData("/a%20b", "/a b")]
    [InlineData("/a%25b", "/a%b")]
    public void Canonicalises(string raw, string expected)
    {
        Assert.True(PathCanonicalizer.TryCanonicalize(raw, out var cooked, out var reason));
        Assert.Equal(expected, cooked);
        Assert.Equal(UrlRejection.None, reason);
    }

    [Theory]
    [InlineData("/path%", UrlRejection.MalformedEscape)]
    [InlineData("/%XY", UrlRejection.MalformedEscape)]
    [InlineData("/%F", UrlRejection.MalformedEscape)]
    [InlineData("/%4g", UrlRejection.MalformedEscape)]
    [InlineData("/%u004", UrlRejection.MalformedEscape)]
    [InlineData("/%uZZZZ", UrlRejection.MalformedEscape)]
    [InlineData("/%F0%8F%8F%BF", UrlRejection.InvalidUtf8)] // overlong 4-byte form
    [InlineData("/%C0%A4", UrlRejection.InvalidUtf8)] // overlong: HTTP.sys passes it through, we reject (docs/routing.md)
    [InlineData("/%C3", UrlRejection.InvalidUtf8)] // truncated sequence at the end
    [InlineData("/%C3a", UrlRejection.InvalidUtf8)] // truncated sequence before a plain char
    [InlineData("/%A9", UrlRejection.InvalidUtf8)] // lone continuation byte
    [InlineData("/%FF", UrlRejection.InvalidUtf8)]
    [InlineData("/%ED%A0%80", UrlRejection.InvalidUtf8)] // UTF-8 encoded surrogate
    [InlineData("/%uD800", UrlRejection.InvalidUtf8)]
    [InlineData("/%00", UrlRejection.RestrictedCharacter)]
    [InlineData("/%1F", UrlRejection.RestrictedCharacter)]
    [InlineData("/%7F", UrlRejection.RestrictedCharacter)]
    [InlineData("/%0d%0a", UrlRejection.RestrictedCharacter)]
    [InlineData("/%C2%80", UrlRejection.RestrictedCharacter)] // U+0080, a C1 control
    [InlineData("/%u0001", UrlRejection.RestrictedCharacter)]
    [InlineData("/a\u0001b", UrlRejection.RestrictedCharacter)] // raw control characters, not only escaped ones
    [InlineData("/a\tb", UrlRejection.RestrictedCharacter)]
    [InlineData("/a\u007F", UrlRejection.RestrictedCharacter)]
    [InlineData("a/b", UrlRejection.NotAbsolute)]
    [InlineData("", UrlRejection.NotAbsolute)]
    [InlineData("*", UrlRejection.NotAbsolute)]
    public void Rejects(string raw, UrlRejection expected)
    {
        Assert.False(PathCanonicalizer.TryCanonicalize(raw, out _, out var reason));
        Assert.Equal(expected, reason);
    }
}
