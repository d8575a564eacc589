using System.Globalization;
using System.Net;
using System.Text;

namespace HttpSysPS.Engine.Logging;

/// <summary>How entries become W3C extended log lines: space-separated fields, <c>-</c> for none, spaces inside a
/// value written as <c>+</c>, UTC times, time-taken in milliseconds. Shared by the access log and httperr.</summary>
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

    /// <summary>One access-log line with <paramref name="fields"/>.</summary>
    public static string AccessLine(RequestLogEntry e, W3CLogFields fields)
    {
        var line = new StringBuilder(160);
        var query = e.Url.IndexOf('?');
        foreach (var field in fields.Names)
        {
            if (line.Length > 0)
            {
                line.Append(' ');
            }

            line.Append(field switch
            {
                "date" => Date(e.Time),
                "time" => Time(e.Time),
                "c-ip" => Address(e.Client),
                "c-port" => Port(e.Client),
                "s-ip" => Address(e.Server),
                "s-port" => Port(e.Server),
                "cs-version" => Value(e.Protocol),
                "cs-method" => Value(e.Method),
                "cs-uri-stem" => Value(query < 0 ? e.Url : e.Url[..query]),
                "cs-uri-query" => Value(query < 0 ? null : e.Url[(query + 1)..]),
                "sc-status" => e.Status.ToString(CultureInfo.InvariantCulture),
                "sc-bytes" => e.BytesSent.ToString(CultureInfo.InvariantCulture),
                "time-taken" => ((long)e.Duration.TotalMilliseconds).ToString(CultureInfo.InvariantCulture),
                "s-sitename" => Value(e.Listener),
                "s-reason" => Value(e.Reason),
                _ => "-",
            });
        }

        return line.ToString();
    }

    public static string Date(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>A field value: <c>-</c> when empty, spaces as <c>+</c> (W3C), control characters as <c>?</c> (no forged lines).</summary>
    public static string Value(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "-";
        }

        return string.Create(value.Length, value, static (span, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                span[i] = c == ' ' ? '+' : char.IsControl(c) ? '?' : c;
            }
        });
    }

    public static string Address(EndPoint? endPoint) => endPoint switch
    {
        IPEndPoint ip => (ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address).ToString(),
        null => "-",
        _ => Value(endPoint.ToString()),
    };

    public static string Port(EndPoint? endPoint) => endPoint is IPEndPoint ip ? ip.Port.ToString(CultureInfo.InvariantCulture) : "-";
}
