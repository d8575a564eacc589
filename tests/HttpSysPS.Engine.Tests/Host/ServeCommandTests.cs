using System.Diagnostics;
using System.Text;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Host;

/// <summary>
/// <c>httpsys serve</c> as a user runs it: its own process, real ports printed on stdout, a request log line per
/// request, and a clean exit (code 0) on SIGTERM.
/// </summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly TempDirectory _site = new();

    [Fact]
    public async Task Serve_prints_real_urls_serves_files_and_a_handler_and_stops_cleanly_on_SIGTERM()
    {
        _site.Write("hello.txt", "hello from disk");
        using var host = StartHost(
            "serve",
            "--url", "http://127.0.0.1:0/", "--root", _site.Path,
            "--url", "http://127.0.0.1:0/", "--handler", $"{BuildOutputs.HelloHandlerAssembly}:HelloHandler.HelloHandler");
        var output = new OutputReader(host);
        try
        {
            var siteUrl = await output.WaitForListeningAsync();
            var handlerUrl = await output.WaitForListeningAsync();
            Assert.DoesNotContain(":0/", siteUrl);
            Assert.NotEqual(siteUrl, handlerUrl);

            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Bounds.Wait };
            Assert.Equal("hello from disk", await http.GetStringAsync(siteUrl + "hello.txt"));
            Assert.Equal("Hello, World!", await http.GetStringAsync(handlerUrl));

            using (var kill = Process.Start("kill", ["-TERM", host.Id.ToString()]))
            {
                await kill.WaitForExitAsync().Bounded();
            }

            await host.WaitForExitAsync().Bounded();
            Assert.Equal(0, host.ExitCode);
            var log = await output.RestAsync();
            Assert.Contains(" GET /hello.txt 200 ", log);
            Assert.Contains(" GET / 200 ", log);
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill();
            }
        }
    }

    [Fact]
    public async Task Serve_with_a_log_directory_writes_each_listeners_access_log_and_httperr_there()
    {
        using var logs = new TempDirectory();
        using var host = StartHost(
            "serve", "--log-dir", logs.Path, "--log-fields", "cs-method cs-uri-stem sc-status",
            "--url", "http://127.0.0.1:0/", "--handler", $"{BuildOutputs.HelloHandlerAssembly}:HelloHandler.HelloHandler");
        var output = new OutputReader(host);
        try
        {
            var url = await output.WaitForListeningAsync();
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Bounds.Wait };
            Assert.Equal("Hello, World!", await http.GetStringAsync(url + "logged"));
            var uri = new Uri(url);
            await using (var raw = await RawClient.ConnectAsync(uri.Port))
            {
                Assert.Equal(400, (await raw.RoundTripAsync("GET /bad HTTP/1.1\r\n\r\n")).StatusCode);
            }

            using (var kill = Process.Start("kill", ["-TERM", host.Id.ToString()]))
            {
                await kill.WaitForExitAsync().Bounded();
            }

            await host.WaitForExitAsync().Bounded();
            Assert.Equal(0, host.ExitCode);
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill();
            }
        }

        var access = File.ReadAllLines(Assert.Single(Directory.GetFiles(Path.Combine(logs.Path, "listener1"), "u_ex*.log")));
        Assert.Equal("#Fields: cs-method cs-uri-stem sc-status", access.Single(l => l.StartsWith("#Fields", StringComparison.Ordinal)));
        Assert.Contains("GET /logged 200", access);
        var errors = File.ReadAllLines(Path.Combine(logs.Path, "httperr1.log"));
        Assert.Contains(errors, l => l.Contains(" GET /bad - 400 - ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Serve_on_a_port_in_use_exits_with_the_PortInUse_code()
    {
        using var holder = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        holder.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        holder.Listen();
        var port = ((System.Net.IPEndPoint)holder.LocalEndPoint!).Port;

        using var host = StartHost("serve", "--url", $"http://127.0.0.1:{port}/", "--root", _site.Path);
        var stderr = host.StandardError.ReadToEndAsync();
        await host.WaitForExitAsync().Bounded();
        Assert.Equal(10 + (int)HttpSysErrorReason.PortInUse, host.ExitCode);
        Assert.Contains(port.ToString(), await stderr.Bounded());
    }

    public void Dispose() => _site.Dispose();

    private static Process StartHost(params string[] args)
    {
        var start = new ProcessStartInfo(BuildOutputs.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(BuildOutputs.HostAssembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    /// <summary>Reads the host's stdout line by line: awaiting its start is awaiting its output, never a sleep.</summary>
    private sealed class OutputReader(Process process)
    {
        private const string Listening = "Now listening on: ";
        private readonly StringBuilder _seen = new();

        public async Task<string> WaitForListeningAsync()
        {
            while (await process.StandardOutput.ReadLineAsync().Bounded() is { } line)
            {
                _seen.AppendLine(line);
                if (line.StartsWith(Listening, StringComparison.Ordinal))
                {
                    return line[Listening.Length..];
                }
            }

            throw new InvalidOperationException($"httpsys exited before listening. stdout:\n{_seen}\nstderr:\n{await process.StandardError.ReadToEndAsync()}");
        }

        public async Task<string> RestAsync() => _seen + await process.StandardOutput.ReadToEndAsync().Bounded();
    }
}
