using System.ComponentModel;
using System.Diagnostics;

namespace HttpSysPS.Engine.Tests.Tls;

/// <summary>
/// Runs the <c>openssl</c> command-line tool (Debian package <c>openssl</c>, listed in .ci/apt-packages). A machine
/// without it fails the test with the install line, never a silent pass.
/// </summary>
internal static class OpenSslTool
{
    public const string Missing = "The openssl command-line tool is not installed; run: apt-get install -y --no-install-recommends openssl";

    /// <summary>Runs <c>openssl args</c> with <paramref name="input"/> on stdin (then EOF); exit code and stdout+stderr.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string input, params string[] args)
    {
        using var process = Start(args);
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TlsTestServer.Bound);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output + await error);
    }

    /// <summary>Starts a long-running <c>openssl</c> (a responder); the caller kills and disposes it.</summary>
    public static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException(Missing);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(Missing, e);
        }
    }
}
