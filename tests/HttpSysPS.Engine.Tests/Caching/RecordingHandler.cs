using System.Text;
using HttpSysPS.Engine.Handlers;

namespace HttpSysPS.Engine.Tests.Caching;

/// <summary>Counts calls and answers with whatever <c>respond</c> does; the default is a cacheable text body naming the call.</summary>
internal sealed class RecordingHandler(Func<RequestContext, int, ValueTask>? respond = null) : IRequestHandler
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public ValueTask HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        return respond is null ? Cacheable(context, call) : respond(context, call);
    }

    public static ValueTask Cacheable(RequestContext context, int call)
    {
        var response = context.Response;
        response.ContentType = "text/plain";
        response.Headers["Cache-Control"] = "public, max-age=60";
        return response.WriteAsync(Encoding.ASCII.GetBytes($"call {call} {context.Request.Path}{context.Request.QueryString}"));
    }
}
