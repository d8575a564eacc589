using HttpSysPS.Engine.Caching;

namespace HttpSysPS.Engine.Tests.Caching;

public sealed class OpenFileCacheTests
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Concurrent_sends_of_one_unchanged_file_share_one_handle()
    {
        using var dir = new TempDir();
        var path = dir.File("a.txt", "abc");
        using var cache = new OpenFileCache(new ManualTimeProvider(Start));

        var first = cache.Acquire(path, 0);
        var second = cache.Acquire(path, 0);

        Assert.Same(first, second);
        Assert.Equal(3, first.Length);
        first.Release();
        second.Release();
        Assert.False(first.Handle.IsClosed); // the cache still holds it
    }

    [Fact]
    public void A_changed_file_gets_a_fresh_handle_and_the_old_one_closes_after_its_last_send()
    {
        using var dir = new TempDir();
        var path = dir.File("a.txt", "abc");
        using var cache = new OpenFileCache(new ManualTimeProvider(Start));
        var old = cache.Acquire(path, 0);

        File.WriteAllText(path, "abcdef");
        var fresh = cache.Acquire(path, 0);

        Assert.NotSame(old, fresh);
        Assert.Equal(6, fresh.Length);
        Assert.False(old.Handle.IsClosed); // still in use by its send
        old.Release();
        Assert.True(old.Handle.IsClosed);
        fresh.Release();
    }

    [Fact]
    public void Idle_handles_are_closed_by_the_scavenger()
    {
        using var dir = new TempDir();
        var path = dir.File("a.txt", "abc");
        var clock = new ManualTimeProvider(Start);
        using var cache = new OpenFileCache(clock);
        var file = cache.Acquire(path, clock.GetTimestamp());
        file.Release();

        cache.Scavenge(clock.GetTimestamp() + (long)((OpenFileCache.IdleTimeout.TotalSeconds - 1) * clock.TimestampFrequency));
        Assert.Equal(1, cache.Count);
        cache.Scavenge(clock.GetTimestamp() + (long)(OpenFileCache.IdleTimeout.TotalSeconds * clock.TimestampFrequency));

        Assert.Equal(0, cache.Count);
        Assert.True(file.Handle.IsClosed);
    }

    [Fact]
    public void A_missing_file_throws_FileNotFoundException()
    {
        using var dir = new TempDir();
        using var cache = new OpenFileCache(new ManualTimeProvider(Start));
        Assert.Throws<FileNotFoundException>(() => cache.Acquire(Path.Combine(dir.Path, "nope"), 0));
    }

    [Fact]
    public void Disposing_the_cache_closes_handles_not_in_use()
    {
        using var dir = new TempDir();
        var path = dir.File("a.txt", "abc");
        var cache = new OpenFileCache(new ManualTimeProvider(Start));
        var file = cache.Acquire(path, 0);

        cache.Dispose();
        Assert.False(file.Handle.IsClosed);
        file.Release();
        Assert.True(file.Handle.IsClosed);
    }
}
