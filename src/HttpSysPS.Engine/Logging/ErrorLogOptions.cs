namespace HttpSysPS.Engine.Logging;

/// <summary>
/// The server's httperr log, as HTTP.sys keeps it: one line for every connection dropped and every request the server
/// refused itself (parse errors, 503 queue full, timers, TLS handshake failures), in <c>httperr{n}.log</c> files under
/// <see cref="Directory"/>.
/// </summary>
/// <param name="Directory">Where the files go (created when missing).</param>
public sealed record ErrorLogOptions(string Directory)
{
    /// <summary>When a new file starts. Default: every 1 MB, HTTP.sys's ErrorLogFileTruncateSize default.</summary>
    public LogRollover Rollover { get; init; } = LogRollover.BySize(1024 * 1024);
}
