using System.Net;
using HttpSysPS.Engine.Http1;

namespace HttpSysPS.Engine.Handlers;

/// <summary>Parses <c>?a=1&amp;b=x+y</c> into decoded pairs (form-urlencoded rules: '+' is a space).</summary>
internal static class QueryParser
{
    public static Dictionary<string, string> Parse(string queryString)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var text = queryString.AsSpan().TrimStart('?');
        foreach (var pair in new SpanSplitter<char>(text, '&'))
        {
            if (pair.IsEmpty)
            {
                continue;
            }

            var eq = pair.IndexOf('=');
            var name = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? ReadOnlySpan<char>.Empty : pair[(eq + 1)..];
            result[WebUtility.UrlDecode(name.ToString())] = WebUtility.UrlDecode(value.ToString());
        }

        return result;
    }
}
