using HttpSysPS.Engine.Caching;
using HttpSysPS.Engine.Handlers;

namespace HttpSysPS.Engine.Tests.Caching;

/// <summary>The lifetime arithmetic of ASP.NET's GetCacheTtl (spec §7.3) and HTTP.sys's response conditions, without sockets.</summary>
public sealed class CacheResponsePolicyTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static (CacheIneligibility Reason, TimeSpan Ttl) Evaluate(int status, long bodyLength = 10, params (string Name, string Value)[] headers)
    {
        var collection = new HeaderCollection();
        collection.Add("Content-Type", "text/plain");
        foreach (var (name, value) in headers)
        {
            collection.Add(name, value);
        }

        var reason = CacheResponsePolicy.Evaluate(status, collection, bodyLength, 1000, Now, out var ttl);
        return (reason, ttl);
    }

    [Theory]
    [InlineData("public, max-age=60", null, 60)]
    [InlineData("public, s-maxage=30, max-age=60", null, 30)]
    [InlineData("public, s-maxage=30, max-age=0", null, 30)]
    [InlineData("PUBLIC, MAX-AGE=7", null, 7)]
    [InlineData("public, max-age=\"15\"", null, 15)]
    [InlineData("public,max-age=60", "Wed, 01 Jan 2020 00:00:00 GMT", 60)]
    [InlineData("public", "Tue, 01 Jan 2030 12:05:00 GMT", 300)]
    [InlineData("public, max-age=99999999999999999999", null, int.MaxValue)]
    public void Lifetime(string cacheControl, string? expires, long seconds)
    {
        var headers = new List<(string, string)> { ("Cache-Control", cacheControl) };
        if (expires is not null)
        {
            headers.Add(("Expires", expires));
        }

        var (reason, ttl) = Evaluate(200, 10, [.. headers]);

        Assert.Equal(CacheIneligibility.None, reason);
        Assert.Equal(TimeSpan.FromSeconds(seconds), ttl);
    }

    [Theory]
    [InlineData(304, "public, max-age=60", CacheIneligibility.NotModified)]
    [InlineData(206, "public, max-age=60", CacheIneligibility.PartialContent)]
    [InlineData(200, null, CacheIneligibility.NoCacheControl)]
    [InlineData(200, "max-age=60", CacheIneligibility.NotPublic)]
    [InlineData(200, "public", CacheIneligibility.NoLifetime)]
    [InlineData(200, "public, max-age=0", CacheIneligibility.NoLifetime)]
    [InlineData(200, "public, s-maxage=0, max-age=60", CacheIneligibility.NoLifetime)]
    [InlineData(200, "public, max-age=abc", CacheIneligibility.NoLifetime)]
    [InlineData(200, "public, private, max-age=60", CacheIneligibility.Forbidden)]
    [InlineData(200, "public, no-store, max-age=60", CacheIneligibility.Forbidden)]
    public void Header_rules(int status, string? cacheControl, CacheIneligibility expected)
    {
        var (reason, _) = cacheControl is null ? Evaluate(status) : Evaluate(status, 10, ("Cache-Control", cacheControl));
        Assert.Equal(expected, reason);
    }

    [Theory]
    [InlineData("Set-Cookie", "a=b", CacheIneligibility.SetCookie)]
    [InlineData("Vary", "*", CacheIneligibility.Vary)]
    [InlineData("Pragma", "no-cache", CacheIneligibility.Pragma)]
    [InlineData("Last-Modified", "not a date", CacheIneligibility.InvalidLastModified)]
    public void Header_presence_rules(string name, string value, CacheIneligibility expected)
    {
        var (reason, _) = Evaluate(200, 10, ("Cache-Control", "public, max-age=60"), (name, value));
        Assert.Equal(expected, reason);
    }

    [Theory]
    [InlineData(0, CacheIneligibility.EmptyBody)]
    [InlineData(1000, CacheIneligibility.None)]
    [InlineData(1001, CacheIneligibility.TooLarge)]
    public void Body_size_rules(long length, CacheIneligibility expected)
    {
        var (reason, _) = Evaluate(200, length, ("Cache-Control", "public, max-age=60"));
        Assert.Equal(expected, reason);
    }

    [Fact]
    public void Content_Type_is_required()
    {
        var headers = new HeaderCollection();
        headers.Add("Cache-Control", "public, max-age=60");
        Assert.Equal(CacheIneligibility.NoContentType, CacheResponsePolicy.Evaluate(200, headers, 10, 1000, Now, out _));
    }
}
