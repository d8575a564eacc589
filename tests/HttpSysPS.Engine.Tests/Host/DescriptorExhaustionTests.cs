using System.Diagnostics;
using System.Text;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Host;

/// <summary>
/// A real EMFILE: <c>httpsys serve</c> with its open-files limit lowered by <c>prlimit</c> until accept fails. The
/// accept loop must not spin on the error (before the fix it retried at once, forever, without a word): it warns once
/// for the episode, backs off, and serves again once descriptors are free.
/// </summary>
public sealed class DescriptorExhaustionTests
{
    /// <summary>
    /// Descriptors left to the process above what it holds when idle (its reserve included): room for some connections,
    /// and for what the runtime loads meanwhile, so that closing the connections frees enough to resume accepting.
    /// </summary>
    private const int Headroom = 32;

    /// <summary>Connections the test opens at most while waiting for accept to fail.</summary>
    private const int MaxClients = 256;

    private const string Paused = " paused: ";

    [Fact]
    public async Task Out_of_descriptors_the_server_warns_once_backs_off_and_recovers_when_connections_close()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // prlimit and /proc are Linux's
        }

        using var host = StartHost("serve", "--quiet", "--url", "http://127.0.0.1:0/", "--handler", $"{BuildOutputs.HelloHandlerAssembly}:HelloHandler.HelloHandler");
        var errors = new StderrLines(host);
        try
        {
            var port = new Uri(await WaitForListeningAsync(host)).Port;

            // Warm up (assemblies a request needs are loaded now, while descriptors are plenty), then leave the
            // process only Headroom descriptors above what it holds. The limit is set on the running process rather
            // than at start (prlimit --nofile=N:N dotnet ...) because the runtime's own count varies by version.
            Assert.Equal(200, (await ProbeAsync(port)).StatusCode);
            var limit = Directory.GetFileSystemEntries($"/proc/{host.Id}/fd").Length + Headroom;
            await RunAsync("prlimit", "--pid", host.Id.ToString(), $"--nofile={limit}:{limit}");

            // Keep-alive connections hold a descriptor each. They are added one at a time, each served before the
            // next, until one is not accepted (it waits in the listen backlog) and the server warns instead. One at a
            // time because a burst would make the runtime start threads right at the limit (see DescriptorReserve).
            var clients = new List<RawClient>();
            try
            {
                var failed = errors.WaitForAsync(IsFailure);
                while (!failed.IsCompleted)
                {
                    Assert.True(clients.Count < MaxClients, $"{MaxClients} connections were accepted under a limit of {limit} descriptors.");
                    var client = await RawClient.ConnectAsync(port);
                    clients.Add(client);
                    var served = client.RoundTripAsync($"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n");
                    if (await Task.WhenAny(served, failed) == served)
                    {
                        Assert.Equal(200, (await served).StatusCode);
                    }
                }

                Assert.Contains($"127.0.0.1:{port}", await failed);
            }
            finally
            {
                foreach (var client in clients)
                {
                    await client.DisposeAsync();
                }
            }

            // Descriptors free again: the server accepts again and serves a new connection.
            Assert.Equal(200, (await ProbeAsync(port)).StatusCode);
            await errors.WaitForAsync(l => l.Contains("works again", StringComparison.Ordinal));

            // One warning for the whole episode, however many times accept was retried during it.
            var episode = errors.Seen.TakeWhile(l => !l.Contains("works again", StringComparison.Ordinal));
            Assert.Single(episode, IsFailure);
        }
        catch (Exception e)
        {
            // What the server said (warnings, or the runtime's last words) is the first thing to read on a failure.
            throw new InvalidOperationException($"{e.Message}\nhttpsys stderr:\n{string.Join('\n', errors.Seen)}", e);
        }
        finally
        {
            if (!host.HasExited)
            {
                host.Kill();
            }

            await host.WaitForExitAsync().Bounded();
        }
    }

    private static bool IsFailure(string line) => line.Contains(Paused, StringComparison.Ordinal);

    private static async Task<RawResponse> ProbeAsync(int port)
    {
        await using var client = await RawClient.ConnectAsync(port);
        return await client.RoundTripAsync($"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    }

    private static Process StartHost(params string[] args)
    {
        var start = new ProcessStartInfo(BuildOutputs.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(BuildOutputs.HostAssembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // No machine store: an empty temp path would do, but the host reads HTTPSYSPS_CONFIG first.
        start.Environment.Remove("HTTPSYSPS_CONFIG");
        return Process.Start(start)!;
    }

    private static async Task<string> WaitForListeningAsync(Process host)
    {
        const string Listening = "Now listening on: ";
        while (await host.StandardOutput.ReadLineAsync().Bounded() is { } line)
        {
            if (line.StartsWith(Listening, StringComparison.Ordinal))
            {
                return line[Listening.Length..];
            }
        }

        throw new InvalidOperationException("httpsys exited before listening.");
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().Bounded();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} failed: {await error}");
    }

    /// <summary>The host's stderr, line by line as it arrives: waiting for a line is waiting for the event, never a sleep.</summary>
    private sealed class StderrLines
    {
        private readonly List<string> _seen = new();
        private readonly object _lock = new();
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public StderrLines(Process process)
        {
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null)
                {
                    return;
                }

                lock (_lock)
                {
                    _seen.Add(e.Data);
                    _changed.TrySetResult();
                    _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            };
            process.BeginErrorReadLine();
        }

        public IReadOnlyList<string> Seen
        {
            get
            {
                lock (_lock)
                {
                    return _seen.ToArray();
                }
            }
        }

        public async Task<string> WaitForAsync(Func<string, bool> match)
        {
            var deadline = Task.Delay(Bounds.Wait);
            while (true)
            {
                Task changed;
                lock (_lock)
                {
                    if (_seen.FirstOrDefault(match) is { } line)
                    {
                        return line;
                    }

                    changed = _changed.Task;
                }

                if (await Task.WhenAny(changed, deadline) == deadline)
                {
                    throw new TimeoutException($"No such line on httpsys's stderr within {Bounds.Wait.TotalSeconds} s. Seen:\n{string.Join('\n', Seen)}");
                }
            }
        }
    }
}
