namespace HttpSysPS.Engine;

/// <summary>What the server reports as it runs. Every member has an empty default; implement what you log.</summary>
public interface IServerEvents
{
    /// <summary>False when <see cref="RequestCompleted"/> is not wanted; the server then skips building log entries.</summary>
    bool LogsRequests => true;

    /// <summary>A request was answered (by a handler, the cache, or an error page).</summary>
    void RequestCompleted(RequestLogEntry entry)
    {
    }

    /// <summary>A connection was closed or refused without a normal answer (httperr: timers, resets, ConnLimit).</summary>
    void ConnectionDropped(ConnectionDropEntry entry)
    {
    }

    /// <summary>A handler threw.</summary>
    void HandlerFailed(string listener, Exception exception)
    {
    }

    /// <summary>Something worth a warning (e.g. IPv6 loopback unavailable for a localhost prefix).</summary>
    void Warning(string message)
    {
    }
}
