using System.Collections.Concurrent;
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
