using System.Threading.Channels;

namespace HttpSysPS.Engine.Logging;

/// <summary>
/// Takes log entries from request threads without ever making them wait: a bounded queue, drained by one background
/// task that formats each entry and writes it to a <see cref="RollingLogFile"/>, flushing whenever the queue runs
/// empty. When the disk is slower than the traffic and the queue is full, new entries are dropped and counted
/// (<see cref="Dropped"/>). A write that fails (disk full, directory gone) is counted too, and the writer goes on.
/// </summary>
internal sealed class BackgroundLogWriter<T> : ILogWriterCounters, IAsyncDisposable
{
    /// <summary>Entries held at most while the file lags behind.</summary>
    public const int Capacity = 16_384;

    /// <summary>How long the writer lets entries gather after writing a batch.</summary>
    private static readonly TimeSpan BatchInterval = TimeSpan.FromMilliseconds(50);

    private readonly Channel<T> _queue = Channel.CreateBounded<T>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.Wait, // never waited on: TryWrite fails instead, and the entry is counted
        SingleReader = true,
    });

    private readonly RollingLogFile _file;
    private readonly Action<System.Text.StringBuilder, T> _format;
    private readonly System.Text.StringBuilder _line = new(256);
    private readonly Func<T, DateTimeOffset> _timeOf;
    private readonly Task _drain;
    private long _dropped;
    private long _failed;
    private long _written;

    /// <param name="file">Where the lines go.</param>
    /// <param name="format">Appends an entry's line (formatted here, on the writer's task, never on the caller's).</param>
    /// <param name="timeOf">When the entry was made: it picks the file.</param>
    public BackgroundLogWriter(RollingLogFile file, Action<System.Text.StringBuilder, T> format, Func<T, DateTimeOffset> timeOf)
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
                    _line.Clear();
                    _format(_line, entry);
                    _file.WriteLine(_timeOf(entry), _line);
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

            // At most one wake-up per interval: woken for every entry, the writer cost a busy server a thread-pool hop
            // per request (half the plaintext throughput at 256 connections on one core). Lines reach the file within
            // the interval; the queue holds far more than a busy interval's worth.
            await Task.Delay(BatchInterval).ConfigureAwait(false);
        }
    }
}
