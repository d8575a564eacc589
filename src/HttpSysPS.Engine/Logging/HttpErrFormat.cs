using System.Globalization;

namespace HttpSysPS.Engine.Logging;

/// <summary>HTTP.sys's httperr line: its fields, in its order.</summary>
internal static class HttpErrFormat
{
    public static readonly string[] Fields =
        ["date", "time", "c-ip", "c-port", "s-ip", "s-port", "cs-version", "cs-method", "cs-uri", "streamid", "sc-status", "s-siteid", "s-reason", "s-queuename"];

    public static string Line(ErrorLogEntry e)
    {
        // A reason may carry detail after a colon (TLS_Handshake: ...); httperr's field is the token alone.
        var colon = e.Reason.IndexOf(':');
        return string.Join(' ',
            W3CLogFormat.Date(e.Time), W3CLogFormat.Time(e.Time), W3CLogFormat.Address(e.Client), W3CLogFormat.Port(e.Client),
            W3CLogFormat.Address(e.Server), W3CLogFormat.Port(e.Server), W3CLogFormat.Value(e.Protocol), W3CLogFormat.Value(e.Method),
            W3CLogFormat.Value(e.Url), "-", e.Status?.ToString(CultureInfo.InvariantCulture) ?? "-", "-",
            W3CLogFormat.Value(colon < 0 ? e.Reason : e.Reason[..colon]), W3CLogFormat.Value(e.Queue));
    }
}
