using System.Net;
using System.Text;

namespace HttpSysPS.Engine.Tests.StaticFiles;

/// <summary>RFC 9110 §14 byte ranges on a 1000-byte file whose byte i is i mod 251.</summary>
public sealed class RangeRequestTests(StaticSite site) : IClassFixture<StaticSite>
{
    /// <summary>Range header → expected parts ("start-end" each), "416", or "200" (header ignored).</summary>
    public static TheoryData<string, string> Cases => new()
    {
        { "bytes=0-99", "0-99" },
        { "bytes=900-", "900-999" },
        { "bytes=-100", "900-999" },
        { "bytes=-2000", "0-999" },            // suffix longer than the file: the whole file, still 206
        { "bytes=990-2000", "990-999" },       // last-pos past the end is clipped
        { "bytes=999-999", "999-999" },
        { "BYTES = 0-0", "0-0" },              // unit is case-insensitive, whitespace around '=' tolerated
        { "bytes=0-1,1000-1100", "0-1" },      // unsatisfiable specs are dropped when another is satisfiable
        { "bytes=0-99,50-149", "0-149" },      // overlapping: coalesced
        { "bytes=50-149,0-99", "0-149" },      // overlapping in any order
        { "bytes=0-9,10-19", "0-19" },         // adjacent: coalesced
        { "bytes=0-9,20-29", "0-9,20-29" },    // disjoint: multipart
        { "bytes=500-509,0-9", "500-509,0-9" },// disjoint parts keep the requested order
        { "bytes=0-9,5-14,100-109", "0-14,100-109" },
        { "bytes=-10,0-9", "990-999,0-9" },    // a suffix and an int-range, disjoint: requested order kept
        { "bytes=1000-1100", "416" },
        { "bytes=1000-", "416" },
        { "bytes=-0", "416" },
        { "bytes=1000-,2000-3000", "416" },
        { "bytes=5-1", "200" },                // invalid int-range: the header is ignored
        { "bytes=0-1,5-1", "200" },            // one invalid spec invalidates the header
        { "bytes=abc", "200" },
        { "bytes=", "200" },
        { "bytes=1-2-3", "200" },
        { "items=0-1", "200" },                // unknown unit
        { "0-1", "200" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Range(string header, string expected)
    {
        using var response = await site.Host.GetAsync("/data.bin", ("Range", header));
        var body = await response.Content.ReadAsByteArrayAsync();

        switch (expected)
        {
            case "200":
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(StaticSite.DataLength, body.Length);
                return;
            case "416":
                Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
                Assert.Equal("bytes */1000", response.Content.Headers.GetValues("Content-Range").Single());
                return;
        }

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        var ranges = expected.Split(',').Select(r => (Start: long.Parse(r.Split('-')[0]), End: long.Parse(r.Split('-')[1]))).ToArray();
        if (ranges.Length == 1)
        {
            Assert.Equal($"bytes {ranges[0].Start}-{ranges[0].End}/1000", response.Content.Headers.GetValues("Content-Range").Single());
            AssertData(ranges[0].Start, ranges[0].End, body);
            Assert.Equal("application/octet-stream", response.Content.Headers.ContentType!.MediaType);
            return;
        }

        var parts = Multipart.Parse(response, body);
        Assert.Equal(ranges.Length, parts.Count);
        for (var i = 0; i < ranges.Length; i++)
        {
            Assert.Equal($"bytes {ranges[i].Start}-{ranges[i].End}/1000", parts[i].ContentRange);
            Assert.Equal("application/octet-stream", parts[i].ContentType);
            AssertData(ranges[i].Start, ranges[i].End, parts[i].Body);
        }
    }

    [Fact]
    public async Task More_than_200_ranges_are_ignored_and_the_whole_file_is_sent()
    {
        var header = "bytes=" + string.Join(",", Enumerable.Range(0, 201).Select(i => $"{i * 4}-{(i * 4) + 1}"));
        using var many = await site.Host.GetAsync("/data.bin", ("Range", header));
        Assert.Equal(HttpStatusCode.OK, many.StatusCode);

        var allowed = "bytes=" + string.Join(",", Enumerable.Range(0, 200).Select(i => $"{i * 4}-{(i * 4) + 1}"));
        using var enough = await site.Host.GetAsync("/data.bin", ("Range", allowed));
        Assert.Equal(HttpStatusCode.PartialContent, enough.StatusCode);
        Assert.Equal(200, Multipart.Parse(enough, await enough.Content.ReadAsByteArrayAsync()).Count);
    }

    [Fact]
    public async Task HEAD_ignores_Range()
    {
        using var response = await site.Host.SendAsync("/data.bin", HttpMethod.Head, false, ("Range", "bytes=0-9"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(StaticSite.DataLength, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task An_empty_file_ignores_Range()
    {
        using var response = await site.Host.GetAsync("/empty.txt", ("Range", "bytes=0-9"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, response.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task A_multipart_Content_Length_is_exact_and_the_body_ends_with_the_closing_boundary()
    {
        using var response = await site.Host.GetAsync("/data.bin", ("Range", "bytes=1-2,10-20"));
        var body = await response.Content.ReadAsByteArrayAsync();
        var boundary = response.Content.Headers.ContentType!.Parameters.Single(p => p.Name == "boundary").Value!;

        Assert.Equal("multipart/byteranges", response.Content.Headers.ContentType.MediaType);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.StartsWith($"--{boundary}\r\n", Encoding.Latin1.GetString(body));
        Assert.EndsWith($"\r\n--{boundary}--\r\n", Encoding.Latin1.GetString(body));
    }

    [Fact]
    public async Task Ranges_of_a_file_above_64_KiB_go_through_sendfile_in_one_and_several_parts()
    {
        var expected = File.ReadAllBytes(Path.Combine(site.Root, "big.bin"));
        var before = site.Host.Server.SendFileCount;
        using var single = await site.Host.GetAsync("/big.bin", ("Range", "bytes=1000-150000"));
        Assert.Equal(expected[1000..150001], await single.Content.ReadAsByteArrayAsync());

        using var multi = await site.Host.GetAsync("/big.bin", ("Range", "bytes=0-99999,200000-"));
        var parts = Multipart.Parse(multi, await multi.Content.ReadAsByteArrayAsync());
        Assert.Equal(expected[..100000], parts[0].Body);
        Assert.Equal(expected[200000..], parts[1].Body);
        Assert.True(site.Host.Server.SendFileCount >= before + 2);
    }

    // If-Range (§13.1.5): the Range applies only when the validator names the current representation.
    [Theory]
    [InlineData("{etag}", true)]
    [InlineData("{weak}", false)]            // a weak tag never matches If-Range
    [InlineData("\"other\"", false)]
    [InlineData("{lm}", true)]
    [InlineData("{before}", false)]
    [InlineData("{after}", false)]           // a date matches only when exactly equal
    [InlineData("garbage", false)]
    public async Task IfRange(string value, bool rangeApplies)
    {
        using var probe = await site.Host.GetAsync("/data.bin");
        var filled = value.Replace("{etag}", probe.Headers.ETag!.Tag).Replace("{weak}", "W/" + probe.Headers.ETag!.Tag)
            .Replace("{lm}", StaticSite.LastModified.ToString("r"))
            .Replace("{before}", StaticSite.LastModified.AddSeconds(-1).ToString("r"))
            .Replace("{after}", StaticSite.LastModified.AddSeconds(1).ToString("r"));

        using var response = await site.Host.GetAsync("/data.bin", ("Range", "bytes=10-19"), ("If-Range", filled));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(rangeApplies ? HttpStatusCode.PartialContent : HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(rangeApplies ? 10 : StaticSite.DataLength, body.Length);
    }

    [Fact]
    public async Task IfRange_without_Range_is_a_plain_GET()
    {
        using var response = await site.Host.GetAsync("/data.bin", ("If-Range", "\"other\""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_failed_precondition_wins_over_Range()
    {
        using var response = await site.Host.GetAsync("/data.bin", ("Range", "bytes=0-1"), ("If-Match", "\"other\""));
        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
    }

    private static void AssertData(long start, long end, byte[] body)
    {
        Assert.Equal(end - start + 1, body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            Assert.Equal(StaticSite.DataByte(start + i), body[i]);
        }
    }
}
