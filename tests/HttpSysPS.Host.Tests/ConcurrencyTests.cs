using System.Text.Json;

namespace HttpSysPS.Host.Tests;

public class ConcurrencyTests
{
    [Fact]
    public async Task ThirtyTwoProcessesAddingAtOnceLoseNothing()
    {
        using var dir = new TempDirectory();
        // Start all 32 before waiting for any, so their writes really overlap.
        var processes = Enumerable.Range(0, 32)
            .Select(i => Httpsys.Start(["add", "urlacl", $"url=http://+:8080/app{i}/", $"user=user{i}", dir.Config]))
            .ToList();
        var results = await Task.WhenAll(processes.Select(Httpsys.FinishAsync));

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Error));
        var (exit, output, _) = await Httpsys.RunAsync("show", "urlacl", "--json", dir.Config);
        Assert.Equal(0, exit);
        var urls = JsonDocument.Parse(output).RootElement.GetProperty("urlReservations").EnumerateArray()
            .Select(e => e.GetProperty("url").GetString()!).ToHashSet();
        Assert.Equal(Enumerable.Range(0, 32).Select(i => $"http://+:8080/app{i}/").ToHashSet(), urls);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }
}
