using System.Management.Automation;
using System.Net;
using HttpSysPS.PowerShell.Tests.Infrastructure;
using SMA = System.Management.Automation;

namespace HttpSysPS.PowerShell.Tests;

/// <summary>
/// Wait-HttpSysListener as a console uses it: it blocks until the listeners stop or the user presses Ctrl+C, which a
/// host delivers as <see cref="SMA.PowerShell.Stop"/>. The 30 s bounds are hang guards only, never timing assertions.
/// </summary>
public sealed class WaitListenerTests : IDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private readonly ModuleSession _session = new();
    private readonly OwnedListeners _listeners;

    public WaitListenerTests() => _listeners = new OwnedListeners(_session);

    public void Dispose()
    {
        _listeners.Dispose();
        _session.Dispose();
    }

    [Fact]
    public async Task Stop_like_CtrlC_ends_the_wait_and_the_listener_keeps_serving()
    {
        var name = _listeners.Name("waitstop");
        var url = NewHello(name);

        using var shell = SMA.PowerShell.Create();
        shell.Runspace = _session.Runspace;
        shell.AddScript("Wait-HttpSysListener -Name $args[0] -Verbose -PassThru").AddArgument(name);
        var verbose = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        shell.Streams.Verbose.DataAdded += (_, e) => verbose.TrySetResult(shell.Streams.Verbose[e.Index].Message);
        var invocation = shell.InvokeAsync();

        // A request line on the verbose stream proves the wait is in its loop (request lines are recorded only while a
        // Wait-HttpSysListener -Verbose runs), so the stop below interrupts the wait itself, not its start.
        using (var guard = new CancellationTokenSource(HangGuard))
        {
            while (!verbose.Task.IsCompleted)
            {
                Assert.False(guard.IsCancellationRequested, "No request line reached the verbose stream.");
                Assert.False(invocation.IsCompleted, "Wait-HttpSysListener returned before it was stopped.");
                Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(url)).Status);
            }
        }

        Assert.Contains($"[{name}]", await verbose.Task);
        await shell.StopAsync(null, null).WaitAsync(HangGuard);
        await Assert.ThrowsAsync<PipelineStoppedException>(() => invocation.WaitAsync(HangGuard));
        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
        Assert.Empty(shell.Streams.Error);

        var listener = Assert.Single(_session.Run("Get-HttpSysListener -Name $args[0]", name).Output);
        Assert.Equal("Started", listener.Get<string>("State"));
        Assert.Equal("Hello, World!", (await Http.GetAsync(url)).Body);
    }

    [Fact]
    public async Task The_wait_ends_with_PassThru_when_another_runspace_stops_the_listener()
    {
        var name = _listeners.Name("waitend");
        NewHello(name);

        using var shell = SMA.PowerShell.Create();
        shell.Runspace = _session.Runspace;
        shell.AddScript("Wait-HttpSysListener -Name $args[0] -PassThru").AddArgument(name);
        var invocation = shell.InvokeAsync();

        using (var other = new ModuleSession())
        {
            Assert.Empty(other.Run("Stop-HttpSysListener -Name $args[0] -Timeout 0", name).Errors);
        }

        var output = await invocation.WaitAsync(HangGuard);
        var stopped = Assert.Single(output);
        Assert.Equal(name, stopped.Get<string>("Name"));
        Assert.Equal("Stopped", stopped.Get<string>("State"));
        Assert.Empty(shell.Streams.Error);
    }

    [Fact]
    public void Without_a_listener_to_wait_for_it_returns_at_once()
    {
        var missing = ModuleSession.UniqueName("nowait");
        var result = _session.Run("Wait-HttpSysListener -Name $args[0], ($args[0] + '*') -PassThru", missing);
        Assert.Empty(result.Output);
        Assert.Equal("NotFound,HttpSysPS.Cmdlets.WaitHttpSysListenerCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
    }

    private string NewHello(string name)
    {
        var result = _session.Run(
            "New-HttpSysListener -UrlPrefix 'http://localhost:0/' -HandlerAssembly $args[0] -HandlerType HelloHandler.HelloHandler -Name $args[1] -Start",
            TestPaths.HelloHandler,
            name);
        Assert.Empty(result.Errors);
        return Assert.Single(result.Output).Strings("BoundUrl")[0];
    }
}
