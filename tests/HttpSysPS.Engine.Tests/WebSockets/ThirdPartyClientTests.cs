using System.Diagnostics;
using System.Text.Json;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.WebSockets;

/// <summary>
/// A client we did not write: Debian's python3-websockets (websockets_client.py) against the sample echo handler.
/// Without the package the tests are skipped with the install line, except under CI, where they fail with it.
/// </summary>
public sealed class ThirdPartyClientTests
{
    /// <summary>Debian's interpreter: the packaged module is installed for it, not for a pyenv or venv python first on PATH.</summary>
    private const string Python = "/usr/bin/python3";

    private const string Packages = "python3-websockets";

    /// <summary>The module as Debian installs it (<see cref="DebianComponents"/> finds it under /usr/lib).</summary>
    private const string Module = "lib:python3/dist-packages/websockets/__init__.py";

    [DebianFact(Packages, Module)]
    public Task Python_websockets_echoes_and_closes() => RunClientAsync(compression: false);

    [DebianFact(Packages, Module)]
    public Task Python_websockets_negotiates_compression_when_the_listener_enables_it() => RunClientAsync(compression: true);

    private static async Task RunClientAsync(bool compression)
    {
        DebianComponents.Require(DebianComponents.Missing(Packages, Module));
        await using var server = await EchoServer.StartAsync(g => g with { WebSockets = g.WebSockets with { EnableCompression = compression } });
        var script = Path.Combine(AppContext.BaseDirectory, "WebSockets", "websockets_client.py");

        var (exit, output, errors) = await RunAsync(Python, script, $"ws://127.0.0.1:{server.Port}/chat");

        Assert.True(exit == 0, $"the client failed ({exit}): {errors}");
        var seen = JsonDocument.Parse(output).RootElement;
        Assert.Equal("echo", seen.GetProperty("subprotocol").GetString());
        Assert.Equal(compression ? ["PerMessageDeflate"] : Array.Empty<string>(), seen.GetProperty("extensions").EnumerateArray().Select(e => e.GetString()).ToArray());
        Assert.Equal("héllo", seen.GetProperty("text").GetString());
        Assert.True(seen.GetProperty("binary_ok").GetBoolean());
        Assert.Equal("fragmented", seen.GetProperty("fragmented").GetString());
        Assert.True(seen.GetProperty("pong").GetBoolean());
        Assert.True(seen.GetProperty("ordered").GetBoolean());
        Assert.Equal(4000, seen.GetProperty("close_code").GetInt32());
        Assert.Equal("done", seen.GetProperty("close_reason").GetString());
    }

    private static async Task<(int Exit, string Output, string Errors)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(Bounds.Wait * 2);
        return (process.ExitCode, await output, await errors);
    }
}
