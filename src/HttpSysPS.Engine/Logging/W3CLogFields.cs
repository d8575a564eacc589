namespace HttpSysPS.Engine.Logging;

/// <summary>
/// The fields of a W3C extended access log, in order, by their W3C/IIS names. Supported: date time c-ip c-port s-ip
/// s-port cs-version cs-method cs-uri (path and query as sent) cs-uri-stem cs-uri-query sc-status sc-bytes time-taken
/// s-sitename (the listener) and s-reason (why the server answered itself, e.g. QueueFull). <see cref="Default"/> is IIS's default set less the fields
/// HTTP.sys logs from the application (user name, user agent, referer, substatus, win32 status).
/// </summary>
public sealed class W3CLogFields
{
    /// <summary>Every field name this log can write.</summary>
    public static readonly IReadOnlyList<string> Supported =
        ["date", "time", "c-ip", "c-port", "s-ip", "s-port", "cs-version", "cs-method", "cs-uri", "cs-uri-stem", "cs-uri-query", "sc-status", "sc-bytes", "time-taken", "s-sitename", "s-reason"];

    private W3CLogFields(IReadOnlyList<string> names) => Names = names;

    /// <summary>date time s-ip cs-method cs-uri-stem cs-uri-query s-port c-ip cs-version sc-status sc-bytes time-taken</summary>
    public static W3CLogFields Default { get; } =
        new(["date", "time", "s-ip", "cs-method", "cs-uri-stem", "cs-uri-query", "s-port", "c-ip", "cs-version", "sc-status", "sc-bytes", "time-taken"]);

    public IReadOnlyList<string> Names { get; }

    /// <summary>Parses field names separated by spaces or commas; an unknown or repeated name is refused.</summary>
    public static W3CLogFields Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var names = text.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => n.ToLowerInvariant()).ToArray();
        if (names.Length == 0)
        {
            throw new FormatException("A W3C log needs at least one field.");
        }

        foreach (var name in names)
        {
            if (!Supported.Contains(name))
            {
                throw new FormatException($"'{name}' is not a W3C log field this server writes; use: {string.Join(' ', Supported)}.");
            }
        }

        return names.Distinct().Count() == names.Length ? new W3CLogFields(names) : throw new FormatException("A W3C log field is listed twice.");
    }

    /// <summary>The line of an answered request.</summary>
    public string FormatLine(RequestLogEntry entry)
    {
        var line = new System.Text.StringBuilder(160);
        W3CLogFormat.AppendAccessLine(line, entry, this);
        return line.ToString();
    }

    /// <summary>The line of a connection dropped without an answer: its addresses and times, its reason in s-reason, <c>-</c> elsewhere.</summary>
    public string FormatLine(ConnectionDropEntry entry)
    {
        var line = new System.Text.StringBuilder(96);
        W3CLogFormat.AppendDropLine(line, entry, this);
        return line.ToString();
    }

    public override string ToString() => string.Join(' ', Names);
}
