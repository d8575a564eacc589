using System.Diagnostics;
using System.Text.Json;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.WebSockets;

/// <summary>A client we did not write: Debian's python3-websockets (websockets_client.py) against the sample echo handler.</summary>
public sealed class ThirdPartyClientTests
{
    /// <summary>Debian's interpreter: the packaged module is installed for it, not for a pyenv or venv python first on PATH.</summary>
    private const string Python = "/usr/bin/python3";

    private const string Install = "apt-get update && apt-get install -y python3-websockets";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Python_websockets_echoes_closes_and_negotiates_compression_when_enabled(bool compression)
    {
        RequireModule();
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

    private static void RequireModule()
    {
        var (exit, _, errors) = RunAsync(Python, "-c", "import websockets").GetAwaiter().GetResult();
        if (exit != 0)
        {
            Assert.Fail($"This test runs Debian's python3-websockets, which is missing ({errors.Trim()}). Install it: {Install} (.ci/run does, as root).");
        }
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
