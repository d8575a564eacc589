using System.Diagnostics;
using System.Text;
using System.Text.Json;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Host;

/// <summary>
/// <c>httpsys serve --console</c>: <c>show cachestate</c> and <c>delete cache</c> typed on stdin act on the running
/// server's response cache. The handler is the sample CatalogHandler (<c>Cache-Control: public, max-age=60</c>, the
/// same bytes every call), so a hit shows only in the hit count: an entry stored again after a delete starts at 0.
/// </summary>
public sealed class ServeConsoleTests
{
    [Fact]
    public async Task Show_lists_the_cached_responses_and_delete_removes_them_so_the_next_request_misses()
    {
        using var host = StartServe("--console");
        try
        {
            var root = await ListeningAsync(host);
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Bounds.Wait };
            await http.GetStringAsync(root + "a");
            await http.GetStringAsync(root + "a");
            await http.GetStringAsync(root + "b?x=1");

            var state = await CommandAsync(host, "show cachestate", "Cached responses: ");
            Assert.Equal([root + "a", root + "b?x=1"], Urls(state));
            Assert.Contains("    Hit count                    : 1", Entry(state, root + "a"));
            Assert.Contains("    Listener                     : listener1", Entry(state, root + "a"));
            Assert.Contains("    Status code                  : 200", Entry(state, root + "a"));
            Assert.Contains("    Hit count                    : 0", Entry(state, root + "b?x=1"));
            Assert.Matches(@"    Time to live \(secs\) +: (59|60)\n", Entry(state, root + "a"));

            // Only the URL itself (every query string of it), as netsh's recursive=no.
            Assert.Contains("Response cache entries deleted: 1", await CommandAsync(host, $"delete cache url={root}a", "Response cache entries deleted: "));
            Assert.Equal([root + "b?x=1"], Urls(await CommandAsync(host, "show cachestate", "Cached responses: ")));

            // The next request missed: the handler answered and a new entry starts with no hits.
            await http.GetStringAsync(root + "a");
            Assert.Contains("    Hit count                    : 0", Entry(await CommandAsync(host, "show cachestate", "Cached responses: "), root + "a"));

            // Bad input is answered on stderr and the console goes on.
            await host.StandardInput.WriteLineAsync("show urlacl");
            Assert.StartsWith("httpsys: the console runs 'show cachestate", await host.StandardError.ReadLineAsync().Bounded());
            await host.StandardInput.WriteLineAsync("delete cache url=http://host:notaport/");
            Assert.StartsWith("httpsys: ", await host.StandardError.ReadLineAsync().Bounded());
            await host.StandardInput.WriteLineAsync("delete cache recursive=maybe");
            Assert.Equal("httpsys: The parameter 'recursive=maybe' must be yes|no (or enable|disable).", await host.StandardError.ReadLineAsync().Bounded());

            // Without url=, everything; --json is the change report with the count.
            using (var report = JsonDocument.Parse(await CommandAsync(host, "delete cache --json", "}")))
            {
                Assert.True(report.RootElement.GetProperty("changed").GetBoolean());
                Assert.Equal("*", report.RootElement.GetProperty("target").GetString());
                Assert.Equal(2, report.RootElement.GetProperty("removed").GetInt32());
            }

            Assert.Contains("Cached responses: 0, 0 bytes", await CommandAsync(host, "show cachestate", "Cached responses: "));

            // End of input ends the console, not the server.
            host.StandardInput.Close();
            Assert.Contains("\"catalog\"", await http.GetStringAsync(root + "a"));
            Assert.False(host.HasExited);
        }
        finally
        {
            host.Kill();
            await host.WaitForExitAsync().Bounded();
        }
    }

    [Fact]
    public async Task Recursive_yes_removes_everything_under_the_path_and_json_lists_entries()
    {
        using var host = StartServe("--console");
        try
        {
            var root = await ListeningAsync(host);
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Bounds.Wait };
            foreach (var path in new[] { "d/", "d/x", "d/x/y", "dx" })
            {
                await http.GetStringAsync(root + path);
            }

            Assert.Contains("Response cache entries deleted: 3", await CommandAsync(host, $"delete cache url={root}d/ recursive=yes", "Response cache entries deleted: "));
            using var state = JsonDocument.Parse(await CommandAsync(host, "show cachestate --json", "}"));
            var entry = Assert.Single(state.RootElement.GetProperty("entries").EnumerateArray());
            Assert.Equal(root + "dx", entry.GetProperty("url").GetString());
            Assert.Equal("listener1", entry.GetProperty("listener").GetString());
            Assert.Equal(0, entry.GetProperty("hits").GetInt64());
            Assert.True(entry.GetProperty("totalBytes").GetInt64() > entry.GetProperty("bodyBytes").GetInt64());
        }
        finally
        {
            host.Kill();
            await host.WaitForExitAsync().Bounded();
        }
    }

    [Fact]
    public async Task Without_console_stdin_is_not_read()
    {
        using var host = StartServe();
        var root = await ListeningAsync(host);
        await host.StandardInput.WriteLineAsync("delete cache");
        await host.StandardInput.FlushAsync();
        host.StandardInput.Close();

        // The server neither stops at the end of input nor answers the line.
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Bounds.Wait };
        Assert.Contains("\"catalog\"", await http.GetStringAsync(root));
        Assert.False(host.HasExited);
        host.Kill();
        await host.WaitForExitAsync().Bounded();
        Assert.DoesNotContain("Response cache", await host.StandardOutput.ReadToEndAsync().Bounded());
        Assert.DoesNotContain("console", await host.StandardError.ReadToEndAsync().Bounded());
    }

    private static Process StartServe(params string[] extra)
    {
        var start = new ProcessStartInfo(BuildOutputs.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { BuildOutputs.HostAssembly, "serve", "--url", "http://127.0.0.1:0/cat/", "--handler", $"{BuildOutputs.HelloHandlerAssembly}:HelloHandler.CatalogHandler", "--quiet" }.Concat(extra))
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    private static async Task<string> ListeningAsync(Process host)
    {
        const string Listening = "Now listening on: ";
        var line = await host.StandardOutput.ReadLineAsync().Bounded();
        Assert.True(line?.StartsWith(Listening, StringComparison.Ordinal), $"Expected '{Listening}...', got '{line}'. stderr: {(line is null ? await host.StandardError.ReadToEndAsync() : string.Empty)}");
        return line![Listening.Length..];
    }

    // Types a command and reads stdout up to and including the line starting with lastLine (the answer's last line).
    private static async Task<string> CommandAsync(Process host, string command, string lastLine)
    {
        await host.StandardInput.WriteLineAsync(command);
        await host.StandardInput.FlushAsync();
        var answer = new StringBuilder();
        while (await host.StandardOutput.ReadLineAsync().Bounded() is { } line)
        {
            answer.Append(line).Append('\n');
            if (line.StartsWith(lastLine, StringComparison.Ordinal))
            {
                return answer.ToString();
            }
        }

        throw new InvalidOperationException($"httpsys exited while answering '{command}': {answer}");
    }

    private static string[] Urls(string state) =>
        [.. state.Split('\n').Where(l => l.StartsWith("URL: ", StringComparison.Ordinal)).Select(l => l["URL: ".Length..])];

    // The lines of one entry: from its URL line to the blank line after it.
    private static string Entry(string state, string url)
    {
        var start = state.IndexOf("URL: " + url + "\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No entry for {url} in:\n{state}");
        var end = state.IndexOf("\n\n", start, StringComparison.Ordinal);
        return state[start..(end + 1)];
    }
}
