using HttpSysPS.Engine;
using HttpSysPS.Engine.Configuration;
using HttpSysPS.Host.Netsh;

namespace HttpSysPS.Host;

/// <summary>
/// netsh-compatible provisioning verbs: <c>httpsys add|delete|show urlacl</c>, <c>add|update|delete|show sslcert</c>,
/// <c>add|delete|show timeout</c>, and <c>show cachestate</c>/<c>delete cache</c> on the response cache of a server in
/// this process (the <c>httpsys serve --console</c> console). Exit 0 on success and on an idempotent no-op; otherwise
/// one line on stderr and the exit code of <see cref="NetshExitCode"/>.
/// </summary>
internal static class NetshCommand
{
    public static int Run(string[] args) => Run(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable);

    /// <param name="args">The verb, the object and its key=value parameters.</param>
    /// <param name="output">Where results go.</param>
    /// <param name="error">Where the one-line error goes.</param>
    /// <param name="getEnvironmentVariable">Reads HTTPSYSPS_CONFIG.</param>
    /// <param name="server">The server running in this process, for the cache verbs; null in a provisioning process.</param>
    public static int Run(string[] args, TextWriter output, TextWriter error, Func<string, string?> getEnvironmentVariable, HttpServer? server = null)
    {
        try
        {
            var arguments = NetshArguments.Parse(args);
            if (arguments.Noun is "cache" or "cachestate")
            {
                return server is null
                    ? NoServer(arguments, error)
                    : CacheVerbs.Run(new NetshContext(arguments, store: null, output, error), server);
            }

            var store = ServiceConfigStore.Open(arguments.ConfigPath, getEnvironmentVariable);
            var context = new NetshContext(arguments, store, output, error);
            return arguments.Noun switch
            {
                "urlacl" => UrlAclVerbs.Run(context),
                "sslcert" => SslCertVerbs.Run(context),
                "timeout" => TimeoutVerbs.Run(context),
                _ => throw new NetshUsageException($"'{arguments.Noun}' is not supported; use urlacl, sslcert, timeout, cachestate or cache."),
            };
        }
        catch (NetshUsageException e)
        {
            error.WriteLine(OneLine(e));
            return NetshExitCode.Usage;
        }
        catch (HttpSysException e)
        {
            error.WriteLine(OneLine(e));
            return NetshExitCode.For(e.Reason);
        }
        catch (ArgumentException e)
        {
            // Range checks of the options records (e.g. a timeout above 65535 s) name the parameter and unit.
            error.WriteLine(OneLine(e));
            return NetshExitCode.For(HttpSysErrorReason.InvalidArgument);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine(OneLine(e));
            return NetshExitCode.Unexpected;
        }
    }

    /// <summary>
    /// The cache verbs run in a separate process: a server's response cache lives in that server's process, and no
    /// channel between processes exists yet (it comes with the cross-process port-sharing service). Saying so beats
    /// printing an empty cache or "deleted" for a cache this process cannot see.
    /// </summary>
    private static int NoServer(NetshArguments arguments, TextWriter error)
    {
        error.WriteLine(
            $"httpsys: '{arguments.Verb} {arguments.Noun}' works on the response cache of a running server, which lives in that server's process; " +
            "no channel between processes exists yet (it comes with the port-sharing service). Type the command at the console of " +
            "'httpsys serve --console', or use Get-/Clear-HttpSysResponseCache in the PowerShell session that runs the listeners.");
        return NetshExitCode.NoServer;
    }

    // Scripts read one line: exception messages (ArgumentOutOfRangeException adds "Actual value was ...") are folded.
    private static string OneLine(Exception e) =>
        "httpsys: " + string.Join(' ', (e is ArgumentOutOfRangeException r ? r.Message.Split('\n')[0] : e.Message).Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
}
