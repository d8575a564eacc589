using System.Management.Automation;
using HttpSysPS.PowerShell.Tests.Infrastructure;
using SMA = System.Management.Automation;

namespace HttpSysPS.PowerShell.Tests;

/// <summary>
/// Stop- and Remove-HttpSysListener with a request still in the handler: the grace period (-Timeout) and Ctrl+C, which
/// ends it. The handler is compiled for the test: it signals when a request is inside and then waits until the request
/// is aborted. The request goes over a raw socket: an aborted request gets no response at all (HttpClient would send it
/// again on a new connection and report that answer instead). The 30 s bounds are hang guards only.
/// </summary>
public sealed class StopListenerTests : IDisposable
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private readonly ModuleSession _session = new();
    private readonly OwnedListeners _listeners;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("httpsysps-stop-");
    private readonly string _key = "HttpSysPS.Tests.Inside." + Guid.NewGuid().ToString("N");
    private readonly SemaphoreSlim _inside = new(0);

    public StopListenerTests()
    {
        _listeners = new OwnedListeners(_session);
        AppDomain.CurrentDomain.SetData(_key, _inside);
    }

    public void Dispose()
    {
        _listeners.Dispose();
        _session.Dispose();
        AppDomain.CurrentDomain.SetData(_key, null);
        try
        {
            _dir.Delete(recursive: true);
        }
        catch (IOException)
        {
            // The handler's load context may hold the file; a temp leftover is harmless.
        }
    }

    [Theory]
    [InlineData("Stop-HttpSysListener -Name $args[0] -Timeout 600", "Stopped")]
    [InlineData("Remove-HttpSysListener -Name $args[0] -Timeout 600", null)]
    public async Task CtrlC_during_the_grace_period_aborts_the_request_and_finishes_the_stop(string command, string? state)
    {
        var name = _listeners.Name("ctrlc");
        var url = NewHanging(name);
        var request = Http.GetUntilClosedAsync(url);
        Assert.True(await _inside.WaitAsync(HangGuard), "The request did not reach the handler.");

        using var shell = SMA.PowerShell.Create();
        shell.Runspace = _session.Runspace;
        shell.AddScript(command).AddArgument(name);
        var stopping = shell.InvokeAsync();

        // The listener says Stopping once its prefixes are gone and the grace period runs: then press Ctrl+C.
        using (var guard = new CancellationTokenSource(HangGuard))
        {
            using var probe = new ModuleSession();
            while (probe.Run("(Get-HttpSysListener -Name $args[0]).State", name).Output.SingleOrDefault()?.ToString() != "Stopping")
            {
                Assert.False(guard.IsCancellationRequested, "The listener never reached Stopping.");
                Assert.False(stopping.IsCompleted, "The command ended during the grace period without Ctrl+C.");
            }
        }

        await shell.StopAsync(null, null).WaitAsync(HangGuard);
        try
        {
            await stopping.WaitAsync(HangGuard);
        }
        catch (PipelineStoppedException)
        {
            // Either way: the command ended, early.
        }

        Assert.Empty(shell.Streams.Error);
        Assert.Equal(string.Empty, await request.WaitAsync(HangGuard));
        var listed = _session.Run("Get-HttpSysListener -Name $args[0] -ErrorAction SilentlyContinue", name).Output;
        if (state is null)
        {
            Assert.Empty(listed);
        }
        else
        {
            Assert.Equal(state, Assert.Single(listed).Get<string>("State"));
        }

        Assert.True(await Http.IsRefusedAsync(url));
    }

    [Fact]
    public async Task Timeout_0_aborts_a_request_in_the_handler_at_once()
    {
        var name = _listeners.Name("abort");
        var url = NewHanging(name);
        var request = Http.GetUntilClosedAsync(url);
        Assert.True(await _inside.WaitAsync(HangGuard), "The request did not reach the handler.");

        var stopped = await Task.Run(() => _session.Run("Stop-HttpSysListener -Name $args[0] -Timeout 0 -PassThru", name)).WaitAsync(HangGuard);

        Assert.Empty(stopped.Errors);
        Assert.Equal("Stopped", Assert.Single(stopped.Output).Get<string>("State"));
        Assert.Equal(string.Empty, await request.WaitAsync(HangGuard));
    }

    // A started listener whose handler releases the test's semaphore and then waits until its request is aborted.
    private string NewHanging(string name)
    {
        var dll = Path.Combine(_dir.FullName, "Hanging.dll");
        if (!File.Exists(dll))
        {
            HandlerCompiler.Compile(_dir.FullName, "Hanging", $$"""
                using System;
                using System.Threading;
                using System.Threading.Tasks;
                using HttpSysPS.Engine.Handlers;

                namespace Hanging;

                public sealed class HangingHandler : IRequestHandler
                {
                    public async ValueTask HandleAsync(RequestContext context, CancellationToken cancellationToken)
                    {
                        ((SemaphoreSlim)AppDomain.CurrentDomain.GetData("{{_key}}")!).Release();
                        await Task.Delay(Timeout.Infinite, cancellationToken);
                    }
                }
                """);
        }

        var result = _session.Run(
            "New-HttpSysListener -UrlPrefix 'http://localhost:0/' -HandlerAssembly $args[0] -HandlerType Hanging.HangingHandler -Name $args[1] -Start",
            dll,
            name);
        Assert.Empty(result.Errors);
        return Assert.Single(result.Output).Strings("BoundUrl")[0];
    }
}
