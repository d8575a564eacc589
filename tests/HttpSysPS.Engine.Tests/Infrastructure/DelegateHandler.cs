using HttpSysPS.Engine.Handlers;

namespace HttpSysPS.Engine.Tests.Infrastructure;

/// <summary>An <see cref="IRequestHandler"/> from a lambda.</summary>
internal sealed class DelegateHandler(Func<RequestContext, CancellationToken, ValueTask> handle) : IRequestHandler
{
    public ValueTask HandleAsync(RequestContext context, CancellationToken cancellationToken) => handle(context, cancellationToken);
}
