using System.Text;

namespace HttpSysPS.Engine.Logging;

/// <summary>HTTP.sys's httperr line: its fields, in its order.</summary>
internal static class HttpErrFormat
{
    public static readonly string[] Fields =
        ["date", "time", "c-ip", "c-port", "s-ip", "s-port", "cs-version", "cs-method", "cs-uri", "streamid", "sc-status", "s-siteid", "s-reason", "s-queuename"];

    public static void AppendLine(StringBuilder line, ErrorLogEntry e)
    {
        W3CLogFormat.AppendDate(line, e.Time);
        line.Append(' ');
        W3CLogFormat.AppendTime(line, e.Time);
        line.Append(' ');
        W3CLogFormat.AppendAddress(line, e.Client);
        line.Append(' ');
        W3CLogFormat.AppendPort(line, e.Client);
        line.Append(' ');
        W3CLogFormat.AppendAddress(line, e.Server);
        line.Append(' ');
        W3CLogFormat.AppendPort(line, e.Server);
        line.Append(' ');
        W3CLogFormat.AppendValue(line, e.Protocol);
        line.Append(' ');
        W3CLogFormat.AppendValue(line, e.Method);
        line.Append(' ');
        W3CLogFormat.AppendValue(line, e.Url);
        line.Append(" - ");
        if (e.Status is { } status)
        {
            line.Append(status);
        }
        else
        {
            line.Append('-');
        }

        // A reason may carry detail after a colon (TLS_Handshake: ...); httperr's field is the token alone.
        var colon = e.Reason.IndexOf(':');
        line.Append(" - ");
        W3CLogFormat.AppendValue(line, colon < 0 ? e.Reason : e.Reason.AsSpan(0, colon));
        line.Append(' ');
        W3CLogFormat.AppendValue(line, e.Queue);
    }
}
