using System.Net;
using HttpSysPS.Engine.Handlers;
using HttpSysPS.Engine.Tests.Caching;

namespace HttpSysPS.Engine.Tests.StaticFiles;

/// <summary>A sparse 5 GiB file: lengths and range positions past 2^31 and 2^32 must survive every conversion.</summary>
public sealed class LargeFileTests
{
    private const long Length = (5L << 30) + 123;
    private static readonly long[] Marks = [(2L << 30) - 3, 2L << 30, (4L << 30) - 1, 4L << 30, Length - 1];

    private static TempDir Sparse()
    {
        var dir = new TempDir();
        using var stream = new FileStream(Path.Combine(dir.Path, "huge.bin"), FileMode.CreateNew, FileAccess.Write);
        stream.SetLength(Length); // sparse: no blocks are written for the holes
        foreach (var mark in Marks)
        {
            stream.Position = mark;
            stream.WriteByte(Mark(mark));
        }

        return dir;
    }

    private static byte Mark(long position) => (byte)(1 + (position % 250));

    private static byte Expected(long position) => Array.IndexOf(Marks, position) >= 0 ? Mark(position) : (byte)0;

    [Fact]
    public async Task Ranges_past_2_and_4_GiB_address_the_right_bytes()
    {
        using var dir = Sparse();
        await using var host = await TestHost.StartAsync(new StaticFileHandler(dir.Path));

        using var head = await host.SendAsync("/huge.bin", HttpMethod.Head);
        Assert.Equal(Length, head.Content.Headers.ContentLength);

        foreach (var (start, end) in new[] { ((2L << 30) - 4, (2L << 30) + 4), ((4L << 30) - 2, (4L << 30) + 1), (Length - 5, Length - 1) })
        {
            using var response = await host.GetAsync("/huge.bin", ("Range", $"bytes={start}-{end}"));
            Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
            Assert.Equal($"bytes {start}-{end}/{Length}", response.Content.Headers.GetValues("Content-Range").Single());
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(end - start + 1, body.Length);
            for (var i = 0; i < body.Length; i++)
            {
                Assert.Equal(Expected(start + i), body[i]);
            }
        }

        using var suffix = await host.GetAsync("/huge.bin", ("Range", "bytes=-1"));
        Assert.Equal([Mark(Length - 1)], await suffix.Content.ReadAsByteArrayAsync());

        using var beyond = await host.GetAsync("/huge.bin", ("Range", $"bytes={Length}-"));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, beyond.StatusCode);
        Assert.Equal($"bytes */{Length}", beyond.Content.Headers.GetValues("Content-Range").Single());
    }

    [Fact]
    public async Task A_sendfile_range_and_a_multipart_range_past_4_GiB()
    {
        using var dir = Sparse();
        await using var host = await TestHost.StartAsync(new StaticFileHandler(dir.Path));
        var start = (4L << 30) - 70_000;
        var end = (4L << 30) + 70_000;

        using var response = await host.GetAsync("/huge.bin", ("Range", $"bytes={start}-{end}"));
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(end - start + 1, body.Length);
        Assert.Equal(Mark((4L << 30) - 1), body[(4L << 30) - 1 - start]);
        Assert.Equal(Mark(4L << 30), body[(4L << 30) - start]);
        Assert.Equal(2, body.Count(b => b != 0));
        Assert.Equal(1, host.Server.SendFileCount);

        using var multi = await host.GetAsync("/huge.bin", ("Range", $"bytes={2L << 30}-{2L << 30},{4L << 30}-{4L << 30}"));
        var parts = Multipart.Parse(multi, await multi.Content.ReadAsByteArrayAsync());
        Assert.Equal([Mark(2L << 30)], parts[0].Body);
        Assert.Equal([Mark(4L << 30)], parts[1].Body);
        Assert.Equal($"bytes {4L << 30}-{4L << 30}/{Length}", parts[1].ContentRange);
    }
}
