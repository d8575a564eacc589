namespace HttpSysPS.Engine.Tests.Infrastructure;

/// <summary>A handler that holds every request until released (then answers "done"); reports the first arrival.</summary>
internal sealed class HandlerGate
{
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HandlerGate(Action<string>? onRequest = null)
    {
        Handler = new DelegateHandler(async (context, ct) =>
        {
            onRequest?.Invoke(context.Request.Path);
            _entered.TrySetResult();
            await _release.Task;
            await context.Response.WriteAsync("done", ct);
        });
    }

    public DelegateHandler Handler { get; }

    public Task Entered => _entered.Task;

    public void Release() => _release.TrySetResult();
}
