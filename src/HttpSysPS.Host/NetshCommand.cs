using HttpSysPS.Engine;
using HttpSysPS.Engine.Configuration;
using HttpSysPS.Host.Netsh;

namespace HttpSysPS.Host;

/// <summary>
/// netsh-compatible provisioning verbs: <c>httpsys add|delete|show urlacl</c>, <c>add|update|delete|show sslcert</c>,
/// <c>add|delete|show timeout</c>. Exit 0 on success and on an idempotent no-op; otherwise one line on stderr and
/// the exit code of <see cref="NetshExitCode"/>.
/// </summary>
internal static class NetshCommand
{
    public static int Run(string[] args) => Run(args, Console.Out, Console.Error, Environment.GetEnvironmentVariable);

    public static int Run(string[] args, TextWriter output, TextWriter error, Func<string, string?> getEnvironmentVariable)
    {
        try
        {
            var arguments = NetshArguments.Parse(args);
            var store = ServiceConfigStore.Open(arguments.ConfigPath, getEnvironmentVariable);
            var context = new NetshContext(arguments, store, output, error);
            return arguments.Noun switch
            {
                "urlacl" => UrlAclVerbs.Run(context),
                "sslcert" => SslCertVerbs.Run(context),
                "timeout" => TimeoutVerbs.Run(context),
                _ => throw new NetshUsageException($"'{arguments.Noun}' is not supported; use urlacl, sslcert or timeout."),
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

    // Scripts read one line: exception messages (ArgumentOutOfRangeException adds "Actual value was ...") are folded.
    private static string OneLine(Exception e) =>
        "httpsys: " + string.Join(' ', (e is ArgumentOutOfRangeException r ? r.Message.Split('\n')[0] : e.Message).Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
}
