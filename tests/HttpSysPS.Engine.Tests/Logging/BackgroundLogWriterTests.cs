using HttpSysPS.Engine.Logging;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Logging;

/// <summary>A disk slower than the traffic: the writer's queue fills, entries beyond it are dropped and counted, and
/// no caller ever waits.</summary>
public sealed class BackgroundLogWriterTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_blocked_writer_never_blocks_the_callers_and_counts_what_it_drops()
    {
        var blocked = new ManualResetEventSlim();
        var inWrite = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var file = new RollingLogFile(_dir.Path, "u_ex", LogRollover.Daily, _ => []);
        var day = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var writer = new BackgroundLogWriter<int>(file, (line, n) =>
        {
            inWrite.TrySetResult();
            blocked.Wait();
            line.Append(n);
        }, _ => day);

        writer.Write(0);
        await inWrite.Task.Bounded();
        var total = BackgroundLogWriter<int>.Capacity + 500;
        var calls = Task.Run(() =>
        {
            for (var i = 1; i <= total; i++)
            {
                writer.Write(i);
            }
        });
        await calls.Bounded();

        Assert.Equal(500, writer.Dropped);
        blocked.Set();
        await writer.DisposeAsync();
        Assert.Equal(BackgroundLogWriter<int>.Capacity + 1, writer.Written);
        Assert.Equal(BackgroundLogWriter<int>.Capacity + 1, File.ReadAllLines(Path.Combine(_dir.Path, "u_ex250101.log")).Length);
    }
}
