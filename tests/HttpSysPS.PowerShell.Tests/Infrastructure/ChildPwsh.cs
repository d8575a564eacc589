using System.Diagnostics;

namespace HttpSysPS.PowerShell.Tests.Infrastructure;

/// <summary>
/// Runs a script in a new process of the pinned pwsh (the repository's local .NET tool, <c>dotnet pwsh</c>), for what
/// one process cannot show: a process holds one HttpSysPS.Engine for its whole life.
/// </summary>
public static class ChildPwsh
{
    /// <summary>What the process left behind.</summary>
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>
    /// Runs <paramref name="script"/> as a script file with <paramref name="arguments"/> (<c>$args</c>) in
    /// <c>dotnet pwsh -NoProfile -NonInteractive</c>; the process is killed after <paramref name="hangGuard"/> (default 2 min).
    /// </summary>
    public static async Task<Result> RunAsync(string script, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? hangGuard = null)
    {
        var dir = Directory.CreateTempSubdirectory("httpsysps-child-");
        try
        {
            var file = Path.Combine(dir.FullName, "script.ps1");
            await File.WriteAllTextAsync(file, script);

            // `dotnet pwsh` finds the tool through the repository's .config/dotnet-tools.json, so it runs from the root.
            var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
            {
                WorkingDirectory = TestPaths.RepoRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-File", file }.Concat(arguments))
            {
                start.ArgumentList.Add(argument);
            }

            start.Environment["NO_COLOR"] = "1";
            start.Environment["HTTPSYSPS_CONFIG"] = Path.Combine(dir.FullName, "config.json");
            foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            {
                start.Environment[key] = value;
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet pwsh did not start.");
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var guard = new CancellationTokenSource(hangGuard ?? TimeSpan.FromMinutes(2));
            try
            {
                await process.WaitForExitAsync(guard.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"dotnet pwsh did not end: {await output}{await error}");
            }

            return new Result(process.ExitCode, await output, await error);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
