using System.Text;

namespace HttpSysPS.Engine.Tests.Infrastructure;

/// <summary>One HTTP/1.x response as it came off the wire.</summary>
internal sealed record RawResponse(string StatusLine, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, bool Chunked)
{
    public int StatusCode => int.Parse(StatusLine.Split(' ')[1]);

    public string BodyText => Encoding.UTF8.GetString(Body);

    /// <summary>The value of a header (first occurrence), or null.</summary>
    public string? Header(string name) =>
        Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)) is { Key: not null } h ? h.Value : null;

    /// <summary>The text of the &lt;h2&gt; heading of a server error page, or null.</summary>
    public string? Heading
    {
        get
        {
            var text = BodyText;
            var start = text.IndexOf("<h2>", StringComparison.Ordinal);
            var end = text.IndexOf("</h2>", StringComparison.Ordinal);
            return start < 0 || end < start ? null : text[(start + 4)..end];
        }
    }
}
