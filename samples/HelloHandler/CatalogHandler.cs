using System.Buffers;
using HttpSysPS.Engine.Handlers;

namespace HelloHandler;

/// <summary>
/// A cacheable dynamic response (the bench's <c>cached</c>/<c>uncached</c> rows): serialises
/// <see cref="CatalogDocument"/> on every call and marks it <c>Cache-Control: public, max-age=60</c>, so with
/// response caching on, the server answers repeats from its cache without calling this handler.
/// </summary>
public sealed class CatalogHandler : IRequestHandler
{
    public ValueTask HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>(4096);
        CatalogDocument.Write(body);
        var response = context.Response;
        response.ContentType = "application/json; charset=utf-8";
        response.Headers["Cache-Control"] = "public, max-age=60";
        return response.WriteAsync(body.WrittenMemory, cancellationToken);
    }
}
