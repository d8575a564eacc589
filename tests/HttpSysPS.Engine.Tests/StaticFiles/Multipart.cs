using System.Text;

namespace HttpSysPS.Engine.Tests.StaticFiles;

/// <summary>A strict reader of multipart/byteranges bodies (RFC 9110 §14.6, RFC 2046 §5.1), for checking ours.</summary>
internal static class Multipart
{
    public sealed record Part(string ContentType, string ContentRange, byte[] Body);

    public static List<Part> Parse(HttpResponseMessage response, byte[] body)
    {
        var type = response.Content.Headers.ContentType!;
        Assert.Equal("multipart/byteranges", type.MediaType);
        var boundary = type.Parameters.Single(p => p.Name == "boundary").Value!.Trim('"');
        var text = Encoding.Latin1.GetString(body);
        var delimiter = "--" + boundary;
        var parts = new List<Part>();
        var position = text.IndexOf(delimiter, StringComparison.Ordinal);
        Assert.Equal(0, position);
        while (true)
        {
            position += delimiter.Length;
            if (text.AsSpan(position).StartsWith("--"))
            {
                Assert.Equal("--\r\n", text[position..]);
                return parts;
            }

            Assert.Equal("\r\n", text.Substring(position, 2));
            var headersEnd = text.IndexOf("\r\n\r\n", position, StringComparison.Ordinal);
            var headers = text[(position + 2)..headersEnd].Split("\r\n").Select(h => h.Split(": ", 2)).ToDictionary(h => h[0], h => h[1], StringComparer.OrdinalIgnoreCase);
            var range = headers["Content-Range"];
            var span = range["bytes ".Length..range.IndexOf('/')].Split('-');
            var length = (int)(long.Parse(span[1]) - long.Parse(span[0]) + 1);
            var dataStart = headersEnd + 4;
            parts.Add(new Part(headers["Content-Type"], range, body[dataStart..(dataStart + length)]));
            position = dataStart + length;
            Assert.Equal("\r\n" + delimiter, text.Substring(position, delimiter.Length + 2));
            position += 2;
        }
    }
}
