using System.Globalization;
using System.Net;
using System.Text;

namespace HttpSysPS.Engine.Logging;

/// <summary>
/// How entries become W3C extended log lines: space-separated fields, <c>-</c> for none, spaces inside a value written
/// as <c>+</c> and control characters as <c>?</c> (a request can never start a line of its own), UTC times, time-taken
/// in milliseconds. Shared by the access log, httperr and <c>httpsys serve</c>'s stdout. Lines are appended to the
/// caller's builder field by field, without a string per field: the log writer formats tens of thousands a second.
/// </summary>
internal static class W3CLogFormat
{
    /// <summary>The directive lines a new file starts with.</summary>
    public static IEnumerable<string> Header(DateTimeOffset now, IEnumerable<string> fields) =>
    [
        "#Software: HttpSysPS",
        "#Version: 1.0",
        "#Date: " + now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        "#Fields: " + string.Join(' ', fields),
    ];

    /// <summary>Appends an answered request's line with <paramref name="fields"/>.</summary>
    public static void AppendAccessLine(StringBuilder line, in RequestLogEntry e, W3CLogFields fields)
    {
        var query = e.Url.IndexOf('?');
        var first = true;
        foreach (var field in fields.Names)
        {
            Separate(line, ref first);
            if (AppendConnectionField(line, field, e.Time, e.Client, e.Server))
            {
                continue;
            }

            switch (field)
            {
                case "cs-version": AppendValue(line, e.Protocol); break;
                case "cs-method": AppendValue(line, e.Method); break;
                case "cs-uri": AppendValue(line, e.Url); break;
                case "cs-uri-stem": AppendValue(line, query < 0 ? e.Url.AsSpan() : e.Url.AsSpan(0, query)); break;
                case "cs-uri-query": AppendValue(line, query < 0 ? default : e.Url.AsSpan(query + 1)); break;
                case "sc-status": line.Append(e.Status); break;
                case "sc-bytes": line.Append(e.BytesSent); break;
                case "time-taken": line.Append((long)e.Duration.TotalMilliseconds); break;
                case "s-sitename": AppendValue(line, e.Listener); break;
                case "s-reason": AppendValue(line, e.Reason); break;
                default: line.Append('-'); break;
            }
        }
    }

    /// <summary>Appends a dropped connection's line with <paramref name="fields"/>: its addresses and time, its reason in
    /// s-reason, <c>-</c> for every request field.</summary>
    public static void AppendDropLine(StringBuilder line, in ConnectionDropEntry e, W3CLogFields fields)
    {
        var first = true;
        foreach (var field in fields.Names)
        {
            Separate(line, ref first);
            if (!AppendConnectionField(line, field, e.Time, e.Client, e.Server))
            {
                AppendValue(line, field == "s-reason" ? e.Reason : null);
            }
        }
    }

    /// <summary>Appends one of the fields every entry has (date, time and the two endpoints); false for any other field.</summary>
    public static bool AppendConnectionField(StringBuilder line, string field, DateTimeOffset time, EndPoint? client, EndPoint? server)
    {
        switch (field)
        {
            case "date": AppendDate(line, time); return true;
            case "time": AppendTime(line, time); return true;
            case "c-ip": AppendAddress(line, client); return true;
            case "c-port": AppendPort(line, client); return true;
            case "s-ip": AppendAddress(line, server); return true;
            case "s-port": AppendPort(line, server); return true;
            default: return false;
        }
    }

    /// <summary>Appends a space before every field but the first.</summary>
    public static void Separate(StringBuilder line, ref bool first)
    {
        if (!first)
        {
            line.Append(' ');
        }

        first = false;
    }

    public static void AppendDate(StringBuilder line, DateTimeOffset time) =>
        line.Append(CultureInfo.InvariantCulture, $"{time.UtcDateTime:yyyy-MM-dd}");

    public static void AppendTime(StringBuilder line, DateTimeOffset time) =>
        line.Append(CultureInfo.InvariantCulture, $"{time.UtcDateTime:HH:mm:ss}");

    /// <summary>A field value: <c>-</c> when empty, spaces as <c>+</c> (W3C), control characters as <c>?</c>.</summary>
    public static void AppendValue(StringBuilder line, ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            line.Append('-');
            return;
        }

        foreach (var c in value)
        {
            line.Append(c == ' ' ? '+' : char.IsControl(c) ? '?' : c);
        }
    }

    public static void AppendAddress(StringBuilder line, EndPoint? endPoint)
    {
        switch (endPoint)
        {
            case IPEndPoint ip:
                var address = ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address;
                Span<char> text = stackalloc char[64];
                if (address.TryFormat(text, out var written))
                {
                    line.Append(text[..written]);
                }
                else
                {
                    line.Append(address.ToString());
                }

                break;
            case null:
                line.Append('-');
                break;
            default:
                AppendValue(line, endPoint.ToString());
                break;
        }
    }

    public static void AppendPort(StringBuilder line, EndPoint? endPoint)
    {
        if (endPoint is IPEndPoint ip)
        {
            line.Append(ip.Port);
        }
        else
        {
            line.Append('-');
        }
    }
}
