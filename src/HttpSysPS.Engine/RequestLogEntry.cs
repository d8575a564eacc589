using System.Net;

namespace HttpSysPS.Engine;

/// <summary>One answered request, in W3C-like fields.</summary>
public readonly record struct RequestLogEntry(
    DateTimeOffset Time,
    EndPoint? Client,
    EndPoint? Server,
    string Protocol,
    string Method,
    string Url,
    int Status,
    long BytesSent,
    TimeSpan Duration,
    string? Listener,
    string? Reason);
