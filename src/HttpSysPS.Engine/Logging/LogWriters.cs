namespace HttpSysPS.Engine.Logging;

/// <summary>Builds the background writers for the two kinds of log.</summary>
internal static class LogWriters
{
    public static BackgroundLogWriter<RequestLogEntry> Access(AccessLogOptions options) =>
        new(new RollingLogFile(options.Directory, "u_ex", options.Rollover, now => W3CLogFormat.Header(now, options.Fields.Names)),
            (line, entry) => W3CLogFormat.AppendAccessLine(line, entry, options.Fields), entry => entry.Time);

    public static BackgroundLogWriter<ErrorLogEntry> Error(ErrorLogOptions options) =>
        new(new RollingLogFile(options.Directory, "httperr", options.Rollover, now => W3CLogFormat.Header(now, HttpErrFormat.Fields)),
            HttpErrFormat.AppendLine, entry => entry.Time);
}
