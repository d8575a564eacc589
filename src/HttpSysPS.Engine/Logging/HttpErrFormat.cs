using System.Text;

namespace HttpSysPS.Engine.Logging;

/// <summary>HTTP.sys's httperr line: its fields, in its order.</summary>
internal static class HttpErrFormat
{
    public static readonly string[] Fields =
        ["date", "time", "c-ip", "c-port", "s-ip", "s-port", "cs-version", "cs-method", "cs-uri", "streamid", "sc-status", "s-siteid", "s-reason", "s-queuename"];

    public static void AppendLine(StringBuilder line, ErrorLogEntry e)
    {
        var first = true;
        foreach (var field in Fields)
        {
            W3CLogFormat.Separate(line, ref first);
            if (W3CLogFormat.AppendConnectionField(line, field, e.Time, e.Client, e.Server))
            {
                continue;
            }

            switch (field)
            {
                case "cs-version": W3CLogFormat.AppendValue(line, e.Protocol); break;
                case "cs-method": W3CLogFormat.AppendValue(line, e.Method); break;
                case "cs-uri": W3CLogFormat.AppendValue(line, e.Url); break;
                case "sc-status" when e.Status is { } status: line.Append(status); break;
                case "s-queuename": W3CLogFormat.AppendValue(line, e.Queue); break;
                case "s-reason":
                    // A reason may carry detail after a colon (TLS_Handshake: ...); httperr's field is the token alone.
                    var colon = e.Reason.IndexOf(':');
                    W3CLogFormat.AppendValue(line, colon < 0 ? e.Reason : e.Reason.AsSpan(0, colon));
                    break;
                default: line.Append('-'); break;
            }
        }
    }
}
