using System.Text;
using HttpSysPS.Engine.Handlers;

namespace HelloHandler;

/// <summary>Answers every request with <c>Hello, World!</c> (the plaintext benchmark body).</summary>
public sealed class HelloHandler : IRequestHandler
{
    private static readonly byte[] Body = Encoding.ASCII.GetBytes("Hello, World!");

    public ValueTask HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        context.Response.ContentType = "text/plain";
        return context.Response.WriteAsync(Body, cancellationToken);
    }
}
