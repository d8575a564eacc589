using HttpSysPS.Engine;

namespace HttpSysPS.Host;

/// <summary>
/// <c>httpsys serve --console</c>: netsh's response-cache verbs read line by line from standard input and run on the
/// server of this process, the only process whose cache they can reach until the port-sharing service gives
/// processes a channel (docs/response-cache.md). Each answer is written in one piece, so request log lines never
/// split it. End of input ends the console, not the server.
/// </summary>
internal static class ServeConsole
{
    private const string Help =
        "httpsys: the console runs 'show cachestate [url=<prefix>]' and 'delete cache [url=<prefix>] [recursive=yes|no]' (each may add --json).";

    /// <summary>Reads commands on a thread of its own (a console read blocks), for as long as the process runs.</summary>
    public static void Start(TextReader input, TextWriter output, TextWriter error, HttpServer server) =>
        Task.Factory.StartNew(() => Run(input, output, error, server), TaskCreationOptions.LongRunning);

    private static void Run(TextReader input, TextWriter output, TextWriter error, HttpServer server)
    {
        try
        {
            while (input.ReadLine() is { } line)
            {
                var args = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                if (args.Length == 0)
                {
                    continue;
                }

                if (args.Length < 2 || !IsCacheVerb(args[0], args[1]))
                {
                    error.WriteLine(Help);
                    continue;
                }

                using var answer = new StringWriter();
                using var failure = new StringWriter();
                try
                {
                    NetshCommand.Run(args, answer, failure, Environment.GetEnvironmentVariable, server);
                }
                catch (Exception e)
                {
                    // NetshCommand answers every failure it expects; anything else must not end the console silently.
                    failure.WriteLine("httpsys: " + e.Message.ReplaceLineEndings(" "));
                }

                output.Write(answer.ToString());
                output.Flush();
                error.Write(failure.ToString());
            }
        }
        catch (IOException)
        {
            // Standard input went away: the server keeps serving without a console.
        }
    }

    private static bool IsCacheVerb(string verb, string noun) =>
        (verb.Equals("show", StringComparison.OrdinalIgnoreCase) && noun.Equals("cachestate", StringComparison.OrdinalIgnoreCase)) ||
        (verb.Equals("delete", StringComparison.OrdinalIgnoreCase) && noun.Equals("cache", StringComparison.OrdinalIgnoreCase));
}
