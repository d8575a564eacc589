namespace HttpSysPS.Engine.Handlers;

/// <summary>
/// The refusal of a synchronous Read, Write or Flush on a request or response body when the listener does not allow
/// it (<see cref="UrlGroupOptions.AllowSynchronousIO"/>, false by default as in Kestrel and ASP.NET HttpSys): a blocking
/// call holds a thread-pool thread for as long as the network takes, and enough of them starve the whole server.
/// </summary>
internal static class SynchronousIO
{
    public static InvalidOperationException Disallowed(string asyncAlternative) => new(
        $"Synchronous operations are disallowed. Call {asyncAlternative} or allow synchronous I/O for the listener " +
        "(UrlGroupOptions.AllowSynchronousIO, New-HttpSysListener -AllowSynchronousIO, httpsys serve --allow-synchronous-io).");
}
