namespace HttpSysPS.Engine.Hosting;

/// <summary>One thing that happened to a listener, kept in its <see cref="ListenerEventBuffer"/> until someone reads it.</summary>
/// <param name="Time">When it happened.</param>
/// <param name="Listener">The listener's name.</param>
/// <param name="Kind">Request line, error or warning.</param>
/// <param name="Message">One line of text (for a request: method, URL, status, bytes, duration).</param>
/// <param name="Exception">For errors: the exception, with whatever detail its type carries.</param>
public sealed record ListenerEvent(DateTimeOffset Time, string Listener, ListenerEventKind Kind, string Message, Exception? Exception = null);
