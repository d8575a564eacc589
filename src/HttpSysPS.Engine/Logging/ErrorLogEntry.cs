using System.Net;

namespace HttpSysPS.Engine.Logging;

/// <summary>One httperr line: a dropped connection (no request fields) or a request the server answered itself.</summary>
internal readonly record struct ErrorLogEntry(
    DateTimeOffset Time, EndPoint? Client, EndPoint? Server, string? Protocol, string? Method, string? Url, int? Status, string Reason, string? Queue);
