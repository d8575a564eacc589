using System.Text;
using HttpSysPS.Engine.Handlers;

namespace HttpSysPS.Engine.Tests.Infrastructure;

/// <summary>Handlers many tests share.</summary>
internal static class TestHandlers
{
    /// <summary>Reads the whole body (so body errors surface) and answers with it, prefixed by method and path: <c>POST /x|body</c>.</summary>
    public static IRequestHandler Echo { get; } = new DelegateHandler(async (context, cancellationToken) =>
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, cancellationToken);
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync($"{context.Request.Method} {context.Request.Path}|", cancellationToken);
        await context.Response.WriteAsync(body.ToArray(), cancellationToken);
    });

    /// <summary>Answers every request with <paramref name="text"/>.</summary>
    public static IRequestHandler Text(string text) => new DelegateHandler((context, cancellationToken) =>
        context.Response.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken));

    /// <summary>
    /// Signals <paramref name="entered"/> each time a request reaches it, then waits for <paramref name="release"/>
    /// (ignoring cancellation: a stuck application) and answers "done".
    /// </summary>
    public static IRequestHandler Blocking(Func<Task> release, Action? entered = null) => new DelegateHandler(async (context, cancellationToken) =>
    {
        entered?.Invoke();
        await release();
        await context.Response.WriteAsync("done"u8.ToArray(), cancellationToken);
    });
}
