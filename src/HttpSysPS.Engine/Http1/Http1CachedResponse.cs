using HttpSysPS.Engine.Caching;

namespace HttpSysPS.Engine.Http1;

/// <summary>How a response-cache hit goes on the wire: the stored head, then this moment's Date and this connection's
/// own Connection line, then the stored body (none for HEAD).</summary>
internal static class Http1CachedResponse
{
    public static void Write(OutputBuffer output, ResponseCacheEntry entry, byte[] dateHeader, bool keepAlive, HttpVersion version, bool isHead)
    {
        output.Write(entry.Head);
        output.Write(dateHeader);
        if (!keepAlive)
        {
            output.Write("Connection: close\r\n"u8);
        }
        else if (version == HttpVersion.Http10)
        {
            output.Write("Connection: keep-alive\r\n"u8);
        }

        output.Write("\r\n"u8);
        if (!isHead)
        {
            output.Write(entry.Body);
        }
    }
}
