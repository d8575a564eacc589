using System.Globalization;
using System.Text;

namespace HttpSysPS.Engine.Timeouts;

/// <summary>
/// The server's one timer: once a second it refreshes the cached clock and Date header and lets the server check
/// every connection's single deadline and every queue's waiters. No timer per request or per connection.
/// </summary>
internal sealed class Heartbeat : IDisposable
{
    private readonly TimeProvider _time;
    private readonly Action<long> _onTick;
    private readonly Action<Exception>? _onError;
    private readonly ITimer _timer;
    private long _now;
    private byte[] _dateHeader;
    private int _ticking;

    /// <param name="time">The clock; its timer fires the ticks, one a second.</param>
    /// <param name="onTick">The server's work for one tick, given the tick's timestamp.</param>
    /// <param name="onError">Receives an exception <paramref name="onTick"/> threw; the heartbeat goes on either way. Null: ignored.</param>
    public Heartbeat(TimeProvider time, Action<long> onTick, Action<Exception>? onError = null)
    {
        _time = time;
        _onTick = onTick;
        _onError = onError;
        _now = time.GetTimestamp();
        _dateHeader = FormatDate(time.GetUtcNow());
        _timer = time.CreateTimer(static state => ((Heartbeat)state!).Tick(), this, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>The clock as of the last tick, in timestamp units (at most a second stale: deadlines are second-grained, like HTTP.sys's).</summary>
    public long Now => Volatile.Read(ref _now);

    /// <summary>The full <c>Date: ...\r\n</c> header line for responses, refreshed each second.</summary>
    public byte[] DateHeader => Volatile.Read(ref _dateHeader);

    public TimeProvider Time => _time;

    public void Dispose() => _timer.Dispose();

    /// <summary>Runs one tick now (the timer's callback). Never throws: it runs on a timer thread, where an exception ends the process.</summary>
    internal void Tick()
    {
        // The cached clock and Date header move on every firing, even one skipped below: deadlines are armed from Now,
        // and a frozen Now would push every new deadline later for as long as a slow tick lasts.
        var now = _time.GetTimestamp();
        Volatile.Write(ref _now, now);
        Volatile.Write(ref _dateHeader, FormatDate(_time.GetUtcNow()));

        // A timer fires on schedule whether or not its last callback returned. A tick still running (thousands of
        // connections, a blocked callback) is not joined by a second one: that would walk the same connections twice at
        // once and pile timer threads up behind the slow one. The skipped tick's work is done by the next.
        if (Interlocked.CompareExchange(ref _ticking, 1, 0) != 0)
        {
            return;
        }

        try
        {
            _onTick(now);
        }
        catch (Exception e)
        {
            Report(e);
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }
    }

    private void Report(Exception error)
    {
        try
        {
            _onError?.Invoke(error);
        }
        catch (Exception)
        {
            // The report failed too (a broken event sink): nothing is left to tell, and the heartbeat must live on.
        }
    }

    private static byte[] FormatDate(DateTimeOffset now) =>
        Encoding.ASCII.GetBytes("Date: " + now.UtcDateTime.ToString("r", CultureInfo.InvariantCulture) + "\r\n");
}
