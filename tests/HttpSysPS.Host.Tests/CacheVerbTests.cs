namespace HttpSysPS.Host.Tests;

/// <summary>
/// <c>httpsys show cachestate</c> and <c>delete cache</c> run as their own process: a server's response cache is in the
/// server's process and no channel reaches it yet, so they say so (exit 3) instead of printing an empty cache or a
/// deletion that did not happen. The verbs themselves run at the serve console (HttpSysPS.Engine.Tests/Host/ServeConsoleTests).
/// </summary>
public class CacheVerbTests
{
    [Theory]
    [InlineData("show", "cachestate")]
    [InlineData("show", "cachestate", "url=http://+:8080/")]
    [InlineData("delete", "cache", "url=http://+:8080/api/", "recursive=yes")]
    [InlineData("delete", "cache", "--json")]
    public async Task Outside_a_server_process_the_cache_verbs_exit_3_and_point_to_the_serve_console(params string[] args)
    {
        var (exit, output, error) = await Httpsys.RunAsync(args);

        Assert.Equal(3, exit);
        Assert.Equal(string.Empty, output);
        var line = Assert.Single(error.Trim().Split('\n'));
        Assert.StartsWith($"httpsys: '{args[0]} {args[1]}' works on the response cache of a running server", line, StringComparison.Ordinal);
        Assert.Contains("no channel between processes exists yet", line, StringComparison.Ordinal);
        Assert.Contains("'httpsys serve --console'", line, StringComparison.Ordinal);
        Assert.Contains("Clear-HttpSysResponseCache", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_object_names_the_cache_verbs_among_the_choices()
    {
        var (exit, _, error) = await Httpsys.RunAsync("show", "caches");

        Assert.Equal(2, exit);
        Assert.Equal("httpsys: 'caches' is not supported; use urlacl, sslcert, timeout, cachestate or cache.", error.Trim());
    }
}
