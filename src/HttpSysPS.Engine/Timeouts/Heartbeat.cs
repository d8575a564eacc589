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
    private readonly ITimer _timer;
    private long _now;
    private byte[] _dateHeader;

    public Heartbeat(TimeProvider time, Action<long> onTick)
    {
        _time = time;
        _onTick = onTick;
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

    /// <summary>Runs one tick now (the timer's callback).</summary>
    internal void Tick()
    {
        var now = _time.GetTimestamp();
        Volatile.Write(ref _now, now);
        Volatile.Write(ref _dateHeader, FormatDate(_time.GetUtcNow()));
        _onTick(now);
    }

    private static byte[] FormatDate(DateTimeOffset now) =>
        Encoding.ASCII.GetBytes("Date: " + now.UtcDateTime.ToString("r", CultureInfo.InvariantCulture) + "\r\n");
}
