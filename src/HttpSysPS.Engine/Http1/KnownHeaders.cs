using System.Text;

namespace HttpSysPS.Engine.Http1;

/// <summary>Interned names of common request headers and methods, so parsing allocates no strings for them.</summary>
internal static class KnownHeaders
{
    public const string Host = "Host";
    public const string Connection = "Connection";
    public const string ContentLength = "Content-Length";
    public const string TransferEncoding = "Transfer-Encoding";
    public const string Expect = "Expect";
    public const string Upgrade = "Upgrade";
    public const string ContentType = "Content-Type";
    public const string Date = "Date";
    public const string Server = "Server";

    private static readonly string[] Names =
    [
        Host, Connection, ContentLength, TransferEncoding, Expect, Upgrade, ContentType, "Accept", "Accept-Encoding",
        "Accept-Language", "Accept-Charset", "User-Agent", "Cookie", "Authorization", "Cache-Control", "Pragma",
        "If-None-Match", "If-Modified-Since", "If-Match", "If-Unmodified-Since", "If-Range", "Range", "Referer", "Origin",
        "Keep-Alive", "TE", "Trailer", "Content-Encoding", "Content-Language", "Sec-WebSocket-Key", "Sec-WebSocket-Version",
        "Sec-WebSocket-Protocol", "Sec-WebSocket-Extensions", "X-Forwarded-For", "X-Forwarded-Proto", "X-Requested-With",
        "DNT", "Upgrade-Insecure-Requests", "Sec-Fetch-Site", "Sec-Fetch-Mode", "Sec-Fetch-Dest", "Sec-Fetch-User",
    ];

    private static readonly byte[][] NameBytes = Names.Select(n => Encoding.ASCII.GetBytes(n)).ToArray();

    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT"];

    private static readonly byte[][] MethodBytes = Methods.Select(n => Encoding.ASCII.GetBytes(n)).ToArray();

    public static string GetName(ReadOnlySpan<byte> name)
    {
        var names = NameBytes;
        for (var i = 0; i < names.Length; i++)
        {
            var candidate = names[i];
            if (candidate.Length == name.Length && Ascii.EqualsIgnoreCase(candidate, name))
            {
                return Names[i];
            }
        }

        return Encoding.ASCII.GetString(name);
    }

    public static string GetMethod(ReadOnlySpan<byte> method)
    {
        var methods = MethodBytes;
        for (var i = 0; i < methods.Length; i++)
        {
            if (method.SequenceEqual(methods[i]))
            {
                return Methods[i];
            }
        }

        return Encoding.ASCII.GetString(method);
    }
}
