using System.Collections;
using System.Net;
using HttpSysPS.PowerShell.Tests.Infrastructure;

namespace HttpSysPS.PowerShell.Tests;

/// <summary>
/// The scriptblock handler's runtime, through New-HttpSysListener -ScriptBlock in a real session: runspaces, the
/// initialization script, -Variable and -ImportModule, output to body, error reporting, the throttle and stopping.
/// </summary>
public sealed class ScriptBlockHandlerTests : IDisposable
{
    // A hang guard only: these tests wait for events, never for time.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    private readonly ModuleSession _session = new();
    private readonly OwnedListeners _owned;

    public ScriptBlockHandlerTests() => _owned = new OwnedListeners(_session);

    public void Dispose()
    {
        _owned.Dispose();
        _session.Dispose();
    }

    [Fact]
    public async Task RunsTheInitializationScriptOncePerRunspace()
    {
        // The hang this replaces: any listener with -InitializationScript never answered (PowerShell 7.6).
        var url = Start(
            "-ThrottleLimit 2 -InitializationScript { $global:initRuns = 1 + (Get-Variable initRuns -Scope Global -ValueOnly -ErrorAction Ignore); function Get-Greeting { 'hello' } } " +
            "-ScriptBlock { '{0}|{1}|{2}' -f (Get-Greeting), $global:initRuns, [runspace]::DefaultRunspace.InstanceId }");
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Http.GetAsync(url)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        var parts = answers.Select(a => a.Body.Split('|')).ToArray();
        Assert.All(parts, p => Assert.Equal(["hello", "1"], p[..2]));
        Assert.InRange(parts.Select(p => p[2]).Distinct().Count(), 1, 2);
    }

    [Fact]
    public async Task RetriesAFailedInitializationOnTheNextRequest()
    {
        var url = Start(
            "-ThrottleLimit 1 -IncludeErrorDetail -InitializationScript { $global:attempts++; if ($global:attempts -eq 1) { throw 'init failed once' } } " +
            "-ScriptBlock { \"attempts=$global:attempts\" }");

        var first = await Http.GetAsync(url);
        var second = await Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.InternalServerError, first.Status);
        Assert.Contains("init failed once", first.Body);
        Assert.Equal((HttpStatusCode.OK, "attempts=2"), second);
    }

    [Fact]
    public async Task KeepsEachRequestsVariablesToItself()
    {
        var url = Start("-ThrottleLimit 1 -ScriptBlock { $seen = [bool](Get-Variable -Name mine -ErrorAction Ignore); $mine = 1; \"seen=$seen\" }");

        Assert.Equal((HttpStatusCode.OK, "seen=False"), await Http.GetAsync(url));
        Assert.Equal((HttpStatusCode.OK, "seen=False"), await Http.GetAsync(url));
    }

    [Fact]
    public async Task MakesVariablesAndModulesVisible()
    {
        var dir = Directory.CreateTempSubdirectory("httpsysps-module-");
        var module = Path.Combine(dir.FullName, "Greeter.psm1");
        await File.WriteAllTextAsync(module, "function Get-Greeting([string] $Name) { \"Hello, $Name!\" }");
        var name = _owned.Name("vars");
        var listener = _session.Run(
            "New-HttpSysListener -Name $args[0] -UrlPrefix 'http://localhost:0/' -Start -Variable $args[1] -ImportModule $args[2] -ScriptBlock { Get-Greeting $who }",
            name, new Hashtable { ["who"] = "World" }, module).Output.Single();

        Assert.Equal((HttpStatusCode.OK, "Hello, World!"), await Http.GetAsync(listener.Strings("BoundUrl")[0]));
    }

    [Fact]
    public void FailsNewListenerWhenAModuleCannotBeImported()
    {
        var name = _owned.Name("badmodule");
        var result = _session.Run(
            "New-HttpSysListener -Name $args[0] -UrlPrefix 'http://localhost:0/' -ImportModule 'No.Such.Module.Anywhere' -ScriptBlock { 1 }", name);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("HandlerLoadFailed,", error.FullyQualifiedErrorId);
        Assert.Empty(_session.Run("Get-HttpSysListener -Name $args[0] -ErrorAction Ignore", name).Output);
    }

    [Fact]
    public async Task ConvertsOutputToTheBody()
    {
        var url = Start("-ScriptBlock { [pscustomobject]@{ b = 2; a = @(1, 'x') } }");

        Assert.Equal((HttpStatusCode.OK, "{\"b\":2,\"a\":[1,\"x\"]}"), await Http.GetAsync(url));
    }

    [Theory]
    [InlineData("throw 'boom'")]
    [InlineData("Write-Error 'boom' -ErrorAction Stop")]
    [InlineData("Get-Item -LiteralPath '/no/such/boom' -ErrorAction Stop")]
    public async Task ReportsATerminatingErrorExactlyOnce(string script)
    {
        var name = _owned.Name("err");
        var url = _session.Run(
            $"(New-HttpSysListener -Name $args[0] -UrlPrefix 'http://localhost:0/' -Start -ScriptBlock {{ {script} }}).BoundUrl[0]", name).Single<string>();

        Assert.Equal(HttpStatusCode.InternalServerError, (await Http.GetAsync(url)).Status);
        // A stopped listener's wait returns at once, writing what its buffer kept.
        var errors = _session.Run("Stop-HttpSysListener -Name $args[0]; Wait-HttpSysListener -Name $args[0]", name).Errors;
        var error = Assert.Single(errors);
        Assert.Contains("boom", error.ToString());
    }

    [Fact]
    public async Task ReportsAWrittenErrorOnceAndStillAnswers()
    {
        var name = _owned.Name("written");
        var url = _session.Run(
            "(New-HttpSysListener -Name $args[0] -UrlPrefix 'http://localhost:0/' -Start -ScriptBlock { Write-Error 'soft'; 'body' }).BoundUrl[0]", name).Single<string>();

        Assert.Equal((HttpStatusCode.OK, "body"), await Http.GetAsync(url));
        var errors = _session.Run("Stop-HttpSysListener -Name $args[0]; Wait-HttpSysListener -Name $args[0]", name).Errors;
        Assert.Contains("soft", Assert.Single(errors).ToString());
    }

    [Fact]
    public async Task RunsAtMostThrottleLimitScriptsAndQueuesTheRest()
    {
        var probe = new ConcurrencyProbe();
        var name = _owned.Name("throttle");
        var url = _session.Run(
            "(New-HttpSysListener -Name $args[0] -UrlPrefix 'http://localhost:0/' -Start -ThrottleLimit 2 -Variable @{ probe = $args[1] } -ScriptBlock { $null = $probe.Enter(); 'done' }).BoundUrl[0]",
            name, probe).Single<string>();

        var requests = Enumerable.Range(0, 6).Select(_ => Task.Run(() => Http.GetAsync(url))).ToArray();
        await probe.WhenEntered(2).WaitAsync(Guard);
        var queue = _session.Run("Get-HttpSysRequestQueue -Name $args[0]", name).Output.Single();
        Assert.Equal(2, queue.Get<int>("InFlight"));
        probe.Release();
        var answers = await Task.WhenAll(requests).WaitAsync(Guard);

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, "done"), a));
        Assert.Equal(2, probe.Max);
        Assert.Equal(6, probe.Entered);
    }

    [Fact]
    public async Task RemoveStopsARunningScript()
    {
        var probe = new ConcurrencyProbe();
        var name = _owned.Name("stop");
        var url = _session.Run(
            "(New-HttpSysListener -Name $args[0] -UrlPrefix 'http://localhost:0/' -Start -Variable @{ probe = $args[1] } -ScriptBlock { $null = $probe.Enter(1); Start-Sleep -Seconds 600; 'never' }).BoundUrl[0]",
            name, probe).Single<string>();
        var request = Task.Run(async () =>
        {
            try
            {
                return (await Http.GetAsync(url)).Status;
            }
            catch (HttpRequestException)
            {
                return (HttpStatusCode)0;
            }
        });
        await probe.WhenEntered(1).WaitAsync(Guard);

        var removal = Task.Run(() => _session.Run("Remove-HttpSysListener -Name $args[0] -Force -Confirm:$false", name));
        var removed = await removal.WaitAsync(Guard);

        Assert.Empty(removed.Errors);
        Assert.NotEqual(HttpStatusCode.OK, await request.WaitAsync(Guard));
        Assert.Empty(_session.Run("Get-HttpSysListener -Name $args[0] -ErrorAction Ignore", name).Output);
    }

    private string Start(string parameters)
    {
        var name = _owned.Name("sb");
        return _session.Run($"(New-HttpSysListener -Name $args[0] -UrlPrefix 'http://localhost:0/' -Start {parameters}).BoundUrl[0]", name).Single<string>();
    }
}
