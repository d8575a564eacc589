using System.Globalization;

namespace HttpSysPS.Engine.Handlers;

/// <summary>HTTP-date (RFC 9110 §5.6.7): formatted as IMF-fixdate, parsed in all three forms a recipient must accept.</summary>
internal static class HttpDate
{
    // IMF-fixdate, then the obsolete RFC 850 and asctime forms (RFC 9110 §5.6.7: recipients MUST accept all three).
    private static readonly string[] Formats =
    [
        "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'",
        "dddd, dd'-'MMM'-'yy HH':'mm':'ss 'GMT'",
        "ddd MMM  d HH':'mm':'ss yyyy",
        "ddd MMM dd HH':'mm':'ss yyyy",
    ];

    /// <summary>Formats a time as IMF-fixdate (<c>Sun, 06 Nov 1994 08:49:37 GMT</c>).</summary>
    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);

    /// <summary>Parses an HTTP-date; false for anything else (such a header is then ignored, RFC 9110 §13.1.3).</summary>
    public static bool TryParse(string? text, out DateTimeOffset time)
    {
        time = default;
        return text is not null && DateTimeOffset.TryParseExact(text.Trim(), Formats, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out time);
    }

    /// <summary>Drops the sub-second part: HTTP dates have one-second resolution, so validators compare at that grain.</summary>
    public static DateTimeOffset TruncateToSeconds(DateTimeOffset time) => new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
}
