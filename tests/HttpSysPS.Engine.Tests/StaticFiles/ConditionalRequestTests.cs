using System.Net;

namespace HttpSysPS.Engine.Tests.StaticFiles;

/// <summary>
/// RFC 9110 §13 preconditions on a static file, evaluated in the §13.2.2 order. Placeholders: {etag} is the file's
/// current tag, {weak} the same tag marked weak, {lm} its Last-Modified, {before}/{after} a day either side.
/// </summary>
public sealed class ConditionalRequestTests(StaticSite site) : IClassFixture<StaticSite>
{
    public static TheoryData<string, string, string, int> Cases => new()
    {
        // If-None-Match: weak comparison (§13.1.2)
        { "GET", "If-None-Match", "{etag}", 304 },
        { "GET", "If-None-Match", "{weak}", 304 },
        { "GET", "If-None-Match", "\"other\"", 200 },
        { "GET", "If-None-Match", "\"other\", {etag}", 304 },
        { "GET", "If-None-Match", "\"a,b\", {weak}", 304 },
        { "GET", "If-None-Match", "*", 304 },
        { "GET", "If-None-Match", "not-a-tag", 200 },
        { "HEAD", "If-None-Match", "{etag}", 304 },

        // If-Modified-Since (§13.1.3): only without If-None-Match; all three date forms; bad dates ignored
        { "GET", "If-Modified-Since", "{lm}", 304 },
        { "GET", "If-Modified-Since", "{after}", 304 },
        { "GET", "If-Modified-Since", "{before}", 200 },
        { "GET", "If-Modified-Since", "Monday, 06-May-24 07:08:09 GMT", 304 },
        { "GET", "If-Modified-Since", "Mon May  6 07:08:09 2024", 304 },
        { "GET", "If-Modified-Since", "yesterday", 200 },
        { "GET", "If-None-Match=\"other\"|If-Modified-Since", "{lm}", 200 },
        { "HEAD", "If-Modified-Since", "{lm}", 304 },

        // If-Match: strong comparison (§13.1.1) → 412
        { "GET", "If-Match", "{etag}", 200 },
        { "GET", "If-Match", "\"other\", {etag}", 200 },
        { "GET", "If-Match", "*", 200 },
        { "GET", "If-Match", "\"other\"", 412 },
        { "GET", "If-Match", "{weak}", 412 },
        { "GET", "If-Match", "garbage", 412 },

        // If-Unmodified-Since (§13.1.4): only without If-Match
        { "GET", "If-Unmodified-Since", "{lm}", 200 },
        { "GET", "If-Unmodified-Since", "{after}", 200 },
        { "GET", "If-Unmodified-Since", "{before}", 412 },
        { "GET", "If-Unmodified-Since", "not a date", 200 },
        { "GET", "If-Match={etag}|If-Unmodified-Since", "{before}", 200 },

        // Order (§13.2.2): If-Match before If-None-Match
        { "GET", "If-None-Match={etag}|If-Match", "\"other\"", 412 },
        { "GET", "If-Match={etag}|If-None-Match", "{etag}", 304 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Precondition(string method, string headerSpec, string value, int expected)
    {
        using var probe = await site.Host.GetAsync("/data.bin");
        var etag = probe.Headers.ETag!.Tag;
        string Fill(string v) => v.Replace("{etag}", etag).Replace("{weak}", "W/" + etag)
            .Replace("{lm}", StaticSite.LastModified.ToString("r"))
            .Replace("{before}", StaticSite.LastModified.AddDays(-1).ToString("r"))
            .Replace("{after}", StaticSite.LastModified.AddDays(1).ToString("r"));

        var headers = new List<(string, string)>();
        var parts = headerSpec.Split('|');
        foreach (var extra in parts[..^1])
        {
            var eq = extra.IndexOf('=');
            headers.Add((extra[..eq], Fill(extra[(eq + 1)..])));
        }

        headers.Add((parts[^1], Fill(value)));
        using var response = await site.Host.SendAsync("/data.bin", new HttpMethod(method), false, [.. headers]);

        Assert.Equal(expected, (int)response.StatusCode);
        var body = await response.Content.ReadAsByteArrayAsync();
        if (expected == 200)
        {
            Assert.Equal(method == "GET" ? StaticSite.DataLength : 0, body.Length);
        }
        else
        {
            Assert.Empty(body);
        }

        if (expected == 304)
        {
            Assert.Equal(etag, response.Headers.ETag!.Tag); // §15.4.5: a 304 carries the validator a 200 would
            Assert.Null(response.Content.Headers.ContentType);
        }
    }

    [Fact]
    public async Task A_200_carries_both_validators_and_Accept_Ranges()
    {
        using var response = await site.Host.GetAsync("/data.bin");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.ETag!.IsWeak);
        Assert.Equal(StaticSite.LastModified, response.Content.Headers.LastModified);
        Assert.Equal("bytes", response.Headers.AcceptRanges.Single());
        Assert.Equal(StaticSite.DataLength, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task The_ETag_changes_when_the_file_changes()
    {
        using var dir = new Caching.TempDir();
        var path = dir.File("f.txt", "one");
        await using var host = await Caching.TestHost.StartAsync(new global::HttpSysPS.Engine.Handlers.StaticFileHandler(dir.Path));
        using var before = await host.GetAsync("/f.txt");

        File.WriteAllText(path, "two!");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(5));
        using var after = await host.GetAsync("/f.txt", ("If-None-Match", before.Headers.ETag!.Tag));

        Assert.NotEqual(before.Headers.ETag, after.Headers.ETag);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("two!", await after.Content.ReadAsStringAsync());
    }
}
