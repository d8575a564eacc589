using System.Threading.Channels;

namespace HttpSysPS.Engine.Logging;

/// <summary>
/// Takes log entries from request threads without ever making them wait: a bounded queue, drained by one background
/// task that formats each entry and writes it to a <see cref="RollingLogFile"/>, flushing whenever the queue runs
/// empty. When the disk is slower than the traffic and the queue is full, new entries are dropped and counted
/// (<see cref="Dropped"/>). A write that fails (disk full, directory gone) is counted too, and the writer goes on.
/// </summary>
internal sealed class BackgroundLogWriter<T> : IAsyncDisposable
{
    /// <summary>Entries held at most while the file lags behind.</summary>
    public const int Capacity = 16_384;

    private readonly Channel<T> _queue = Channel.CreateBounded<T>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.Wait, // never waited on: TryWrite fails instead, and the entry is counted
        SingleReader = true,
    });

    private readonly RollingLogFile _file;
    private readonly Func<T, string> _format;
    private readonly Func<T, DateTimeOffset> _timeOf;
    private readonly Task _drain;
    private long _dropped;
    private long _failed;
    private long _written;

    /// <param name="file">Where the lines go.</param>
    /// <param name="format">An entry's line (formatted here, on the writer's task, never on the caller's).</param>
    /// <param name="timeOf">When the entry was made: it picks the file.</param>
    public BackgroundLogWriter(RollingLogFile file, Func<T, string> format, Func<T, DateTimeOffset> timeOf)
    {
        _file = file;
        _format = format;
        _timeOf = timeOf;
        _drain = Task.Run(DrainAsync);
    }

    /// <summary>Entries dropped because the queue was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Entries lost to a failed write.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Lines written so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Queues an entry; never blocks.</summary>
    public void Write(T entry)
    {
        if (!_queue.Writer.TryWrite(entry))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Writes what is queued, flushes, and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _drain.ConfigureAwait(false);
        _file.Dispose();
    }

    private async Task DrainAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var entry))
            {
                try
                {
                    _file.WriteLine(_timeOf(entry), _format(entry));
                    Interlocked.Increment(ref _written);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Interlocked.Increment(ref _failed);
                }
            }

            try
            {
                _file.Flush();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The lines already count as failed or written; the next flush tries again.
            }
        }
    }
}
