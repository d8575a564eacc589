using System.Diagnostics;
using System.Text;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Authentication;

/// <summary>
/// <c>httpsys serve</c> in its own process with an environment of its own (LD_PRELOAD must be there when a process
/// starts, and GSSAPI/PAM variables are process-wide), serving <see cref="WhoAmIHandler"/>. Awaiting its start is
/// reading its "Now listening on:" line; disposing stops it and keeps its output for assertions.
/// </summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private const string Listening = "Now listening on: ";
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServeProcess(Process process) => _process = process;

    public string Url { get; private set; } = "";

    public int Port => new Uri(Url).Port;

    public static async Task<ServeProcess> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] options)
    {
        var start = new ProcessStartInfo(BuildOutputs.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { BuildOutputs.HostAssembly, "serve", "--url", "http://127.0.0.1:0/", "--handler", $"{typeof(WhoAmIHandler).Assembly.Location}:{typeof(WhoAmIHandler).FullName}" }.Concat(options))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var serve = new ServeProcess(Process.Start(start)!);
        try
        {
            while (await serve._process.StandardOutput.ReadLineAsync().Bounded() is { } line)
            {
                serve._output.AppendLine(line);
                if (line.StartsWith(Listening, StringComparison.Ordinal))
                {
                    serve.Url = line[Listening.Length..];
                    return serve;
                }
            }

            throw new InvalidOperationException($"httpsys serve exited before listening:\n{serve._output}\n{await serve._process.StandardError.ReadToEndAsync()}");
        }
        catch
        {
            await serve.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server (SIGTERM) and returns everything it printed (stdout and stderr).</summary>
    public async Task<string> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString()]);
            await kill.WaitForExitAsync().Bounded();
        }

        var rest = await _process.StandardOutput.ReadToEndAsync().Bounded();
        var errors = await _process.StandardError.ReadToEndAsync().Bounded();
        await _process.WaitForExitAsync().Bounded();
        return _output + rest + errors;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().Bounded();
        }

        _process.Dispose();
    }
}
