using System.Net;

namespace HttpSysPS.Engine;

/// <summary>A connection the server dropped without answering, with HTTP.sys's httperr reason (e.g. <c>Timer_HeaderWait</c>).</summary>
public readonly record struct ConnectionDropEntry(DateTimeOffset Time, EndPoint? Client, EndPoint? Server, string Reason);
