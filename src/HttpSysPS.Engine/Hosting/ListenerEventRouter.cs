using System.Collections.Concurrent;
using System.Globalization;

namespace HttpSysPS.Engine.Hosting;

/// <summary>
/// The server's <see cref="IServerEvents"/> for a host of named listeners: request lines and handler failures go to the
/// buffer of the listener they belong to, server-wide warnings to every buffer. Events for a listener without a buffer
/// are dropped. Nothing here blocks the request path: buffers are bounded and never wait.
/// </summary>
public sealed class ListenerEventRouter : IServerEvents
{
    private readonly ConcurrentDictionary<string, ListenerEventBuffer> _buffers = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a router; <paramref name="timeProvider"/> stamps events that carry no time of their own.</summary>
    public ListenerEventRouter(TimeProvider? timeProvider = null) => _timeProvider = timeProvider ?? TimeProvider.System;

    /// <summary>The log entries are needed: buffers decide per listener whether to keep them.</summary>
    public bool LogsRequests => true;

    /// <summary>Adds (or replaces) the buffer of <paramref name="listener"/>.</summary>
    public void Register(string listener, ListenerEventBuffer buffer)
    {
        ArgumentException.ThrowIfNullOrEmpty(listener);
        ArgumentNullException.ThrowIfNull(buffer);
        _buffers[listener] = buffer;
    }

    /// <summary>Removes the buffer of <paramref name="listener"/>.</summary>
    public void Unregister(string listener) => _buffers.TryRemove(listener, out _);

    /// <summary>The buffer of <paramref name="listener"/>, or null.</summary>
    public ListenerEventBuffer? Get(string listener) => _buffers.GetValueOrDefault(listener);

    /// <summary>Records an error for <paramref name="listener"/> (also used by handlers that answer their own failures).</summary>
    public void Error(string listener, string message, Exception? exception) =>
        Get(listener)?.Add(new ListenerEvent(_timeProvider.GetUtcNow(), listener, ListenerEventKind.Error, message, exception));

    public void RequestCompleted(RequestLogEntry entry)
    {
        if (entry.Listener is { } listener && Get(listener) is { RecordRequests: true } buffer)
        {
            var line = string.Create(CultureInfo.InvariantCulture,
                $"{entry.Method} {entry.Url} {entry.Status} {entry.BytesSent} bytes {entry.Duration.TotalMilliseconds:0.###} ms from {entry.Client?.ToString() ?? "-"}{(entry.Reason is null ? string.Empty : " (" + entry.Reason + ")")}");
            buffer.Add(new ListenerEvent(entry.Time, listener, ListenerEventKind.Request, line));
        }
    }

    public void HandlerFailed(string listener, Exception exception) =>
        Error(listener, $"The handler of listener '{listener}' failed: {exception.Message}", exception);

    public void Warning(string message)
    {
        var now = _timeProvider.GetUtcNow();
        foreach (var (listener, buffer) in _buffers)
        {
            buffer.Add(new ListenerEvent(now, listener, ListenerEventKind.Warning, message));
        }
    }
}
