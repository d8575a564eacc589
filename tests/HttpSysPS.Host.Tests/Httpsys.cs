using System.Diagnostics;

namespace HttpSysPS.Host.Tests;

/// <summary>Runs the real <c>httpsys</c> executable as a separate process.</summary>
internal static class Httpsys
{
    public static string DllPath { get; } = Path.Combine(AppContext.BaseDirectory, "httpsys.dll");

    public static Process Start(IEnumerable<string> args, string? configEnvironment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // Never touch the machine store from a test, whatever the runner's environment says.
        info.Environment.Remove("HTTPSYSPS_CONFIG");
        if (configEnvironment is not null)
        {
            info.Environment["HTTPSYSPS_CONFIG"] = configEnvironment;
        }

        return Process.Start(info)!;
    }

    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) => await FinishAsync(Start(args));

    public static async Task<(int ExitCode, string Output, string Error)> FinishAsync(Process process)
    {
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            return (process.ExitCode, await output, await error);
        }
    }
}
