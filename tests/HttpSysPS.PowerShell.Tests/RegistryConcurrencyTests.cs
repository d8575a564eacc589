using System.Collections.Concurrent;
using System.Management.Automation;
using System.Net;
using HttpSysPS.PowerShell.Tests.Infrastructure;

namespace HttpSysPS.PowerShell.Tests;

/// <summary>
/// The module's listener registry is one per process and every runspace of the session reaches it at once (a
/// ForEach-Object -Parallel, a runspace pool, several PowerShell instances in one host). Several runspaces create,
/// start, serve, stop and remove their own listeners while others list them; nothing may be lost, leaked or mixed up.
/// </summary>
public sealed class RegistryConcurrencyTests
{
    private const int Workers = 4;
    private const int Iterations = 20;

    [Fact]
    public async Task Runspaces_create_start_stop_and_remove_their_own_listeners_while_others_list_them()
    {
        var stem = ModuleSession.UniqueName("conc");
        var problems = new ConcurrentQueue<string>();
        var answered = new ConcurrentDictionary<string, bool>();
        using var done = new CancellationTokenSource();

        var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(() => Work(stem, w, answered, problems))).ToArray();
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() => List(stem, done.Token, problems))).ToArray();
        try
        {
            await Task.WhenAll(workers).WaitAsync(TimeSpan.FromMinutes(5));
        }
        finally
        {
            done.Cancel();
        }

        var listings = await Task.WhenAll(readers).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.True(problems.IsEmpty, string.Join(Environment.NewLine, problems));
        Assert.All(listings, count => Assert.True(count > 0, "A reader never completed a listing."));

        var expected = Enumerable.Range(0, Workers).SelectMany(w => Enumerable.Range(0, Iterations).Select(i => $"{stem}-{w}-{i}")).Order().ToArray();
        Assert.Equal(expected, answered.Keys.Order().ToArray());

        using var session = new ModuleSession();
        var left = session.Run("Get-HttpSysListener -Name ($args[0] + '-*'); Get-HttpSysRequestQueue -Name ($args[0] + '-*')", stem);
        Assert.Empty(left.Errors);
        Assert.Empty(left.Output);
    }

    [Fact]
    public async Task A_handler_that_takes_long_to_start_does_not_hold_up_the_other_runspaces()
    {
        // A compiled handler whose constructor signals and then waits: New-HttpSysListener is "making the handler" for
        // as long as the test wants (a scriptblock listener importing a big module, or a handler warming a cache).
        var gateKey = "HttpSysPS.Tests.HandlerGate." + Guid.NewGuid().ToString("N");
        var dir = Directory.CreateTempSubdirectory("httpsysps-gated-");
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        AppDomain.CurrentDomain.SetData(gateKey, new[] { entered, release });
        using var creator = new ModuleSession();
        using var other = new ModuleSession();
        var name = ModuleSession.UniqueName("gated");
        var bystander = ModuleSession.UniqueName("bystander");
        Task<ModuleSession.Result>? creating = null;
        try
        {
            var dll = CompileGatedHandler(dir.FullName, gateKey);
            creating = Task.Run(() => creator.Run(
                "New-HttpSysListener -UrlPrefix 'http://localhost:0/' -HandlerAssembly $args[0] -HandlerType Gated.GatedHandler -Name $args[1] -Start", dll, name));
            try
            {
                Assert.True(await Task.Run(() => entered.Wait(HangGuard)), "The handler's constructor was not reached.");

                // Meanwhile the registry answers: the name is taken but not listed, and other listeners come and go.
                var listing = await Task.Run(() => other.Run("Get-HttpSysListener -Name ($args[0] + '*')", name)).WaitAsync(HangGuard);
                Assert.Empty(listing.Errors);
                Assert.Empty(listing.Output);
                var duplicate = await Task.Run(() => other.Run("New-HttpSysListener -UrlPrefix 'http://localhost:0/' -StaticRoot $args[0] -Name $args[1]", TestPaths.SampleSite, name)).WaitAsync(HangGuard);
                Assert.Equal("AlreadyExists,HttpSysPS.Cmdlets.NewHttpSysListenerCommand", Assert.Single(duplicate.Errors).FullyQualifiedErrorId);
                var started = await Task.Run(() => other.Run("New-HttpSysListener -UrlPrefix 'http://localhost:0/' -StaticRoot $args[0] -Name $args[1] -Start", TestPaths.SampleSite, bystander)).WaitAsync(HangGuard);
                Assert.Empty(started.Errors);
                Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(Assert.Single(started.Output).Strings("BoundUrl")[0])).Status);
                Assert.Empty(await Task.Run(() => other.Run("Remove-HttpSysListener -Name $args[0] -Force", bystander).Errors).WaitAsync(HangGuard));
            }
            finally
            {
                release.Set();
            }

            var created = await creating.WaitAsync(HangGuard);
            Assert.Empty(created.Errors);
            var url = Assert.Single(created.Output).Strings("BoundUrl")[0];
            Assert.Equal("gated", (await Http.GetAsync(url)).Body);
        }
        finally
        {
            // Let the creation finish before removing what it made; a fresh session, as the others may still be busy
            // with a command a failed assertion left waiting.
            release.Set();
            if (creating is not null)
            {
                try
                {
                    await creating.WaitAsync(HangGuard);
                }
                catch (Exception e) when (e is TimeoutException or RuntimeException)
                {
                    // The assertions above report what went wrong; this only keeps the cleanup from racing the creation.
                }
            }

            using (var cleanup = new ModuleSession())
            {
                cleanup.Run("Remove-HttpSysListener -Name $args[0], $args[1] -Force -ErrorAction Ignore", name, bystander);
            }

            AppDomain.CurrentDomain.SetData(gateKey, null);
            try
            {
                dir.Delete(recursive: true);
            }
            catch (IOException)
            {
                // The handler's load context may still hold the file open on some systems; a temp leftover is harmless.
            }
        }
    }

    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    // A handler assembly (against the staged engine) whose constructor sets gate[0] and waits for gate[1].
    private static string CompileGatedHandler(string dir, string gateKey)
    {
        var source = $$"""
            using System;
            using System.Threading;
            using System.Threading.Tasks;
            using HttpSysPS.Engine.Handlers;

            namespace Gated;

            public sealed class GatedHandler : IRequestHandler
            {
                public GatedHandler()
                {
                    var gate = (ManualResetEventSlim[])AppDomain.CurrentDomain.GetData("{{gateKey}}")!;
                    gate[0].Set();
                    gate[1].Wait(TimeSpan.FromSeconds(60));
                }

                public ValueTask HandleAsync(RequestContext context, CancellationToken cancellationToken) =>
                    context.Response.WriteAsync("gated", cancellationToken);
            }
            """;
        return HandlerCompiler.Compile(dir, "Gated", source);
    }

    // One runspace's life: its own listeners, one after another, alternating compiled handlers and static files.
    private static void Work(string stem, int worker, ConcurrentDictionary<string, bool> answered, ConcurrentQueue<string> problems)
    {
        using var session = new ModuleSession();
        var index = File.ReadAllText(Path.Combine(TestPaths.SampleSite, "index.html"));
        for (var i = 0; i < Iterations; i++)
        {
            var name = $"{stem}-{worker}-{i}";
            var compiled = i % 2 == 0;
            var create = compiled
                ? session.Run("New-HttpSysListener -UrlPrefix 'http://localhost:0/' -HandlerAssembly $args[0] -HandlerType HelloHandler.HelloHandler -Name $args[1]", TestPaths.HelloHandler, name)
                : session.Run("New-HttpSysListener -UrlPrefix 'http://localhost:0/' -StaticRoot $args[0] -Name $args[1]", TestPaths.SampleSite, name);
            if (!Expect(create, name, "New", "Created", problems))
            {
                continue;
            }

            var start = session.Run("Start-HttpSysListener -Name $args[0] -PassThru", name);
            if (Expect(start, name, "Start", "Started", problems))
            {
                var url = start.Output[0].Strings("BoundUrl")[0];
                var (status, body) = Http.Get(url);
                if (status == HttpStatusCode.OK && body == (compiled ? "Hello, World!" : index))
                {
                    answered[name] = true;
                }
                else
                {
                    problems.Enqueue($"{name}: GET {url} answered {(int)status} '{body[..Math.Min(body.Length, 40)]}'");
                }
            }

            Expect(session.Run("Stop-HttpSysListener -Name $args[0] -Timeout 5 -PassThru", name), name, "Stop", "Stopped", problems);
            var remove = session.Run("Remove-HttpSysListener -Name $args[0]", name);
            Report(remove, name, "Remove", problems);
            if (remove.Output.Count != 0)
            {
                problems.Enqueue($"{name}: Remove wrote output");
            }

            var gone = session.Run("Get-HttpSysListener -Name $args[0] -ErrorAction SilentlyContinue", name);
            if (gone.Output.Count != 0)
            {
                problems.Enqueue($"{name}: still listed after Remove");
            }
        }
    }

    // Lists listeners (all of them, and this test's by wildcard, with their queues) until the workers are done.
    private static int List(string stem, CancellationToken done, ConcurrentQueue<string> problems)
    {
        using var session = new ModuleSession();
        var listings = 0;
        do
        {
            var result = session.Run(
                "Get-HttpSysListener | Out-String -Width 120 | Out-Null; Get-HttpSysListener -Name ($args[0] + '-*'); Get-HttpSysRequestQueue -Name ($args[0] + '-*')",
                stem);
            Report(result, "listing", "Get", problems);
            foreach (var item in result.Output)
            {
                if (!item.Get<string>("Name").StartsWith(stem + "-", StringComparison.Ordinal))
                {
                    problems.Enqueue($"listing: Get-HttpSysListener -Name {stem}-* returned {item.Get<string>("Name")}");
                }
            }

            listings++;
        }
        while (!done.IsCancellationRequested);
        return listings;
    }

    private static bool Expect(ModuleSession.Result result, string name, string step, string state, ConcurrentQueue<string> problems)
    {
        Report(result, name, step, problems);
        if (result.Output.Count != 1 || result.Output[0].Get<string>("Name") != name || result.Output[0].Get<string>("State") != state)
        {
            problems.Enqueue($"{name}: {step} wrote {result.Output.Count} object(s) ({string.Join(", ", result.Output.Select(o => $"{o.Properties["Name"]?.Value}/{o.Properties["State"]?.Value}"))}), expected one {state}");
            return false;
        }

        return true;
    }

    private static void Report(ModuleSession.Result result, string name, string step, ConcurrentQueue<string> problems)
    {
        foreach (var error in result.Errors)
        {
            problems.Enqueue($"{name}: {step}: {error.FullyQualifiedErrorId}: {error}");
        }
    }
}
