using System.Runtime.InteropServices;
using HttpSysPS.Engine;
using HttpSysPS.Engine.Configuration;
using HttpSysPS.Engine.Handlers;
using HttpSysPS.Engine.Logging;

namespace HttpSysPS.Host;

/// <summary>
/// <c>httpsys serve</c>: arguments in, listeners started, one line per endpoint, with <c>--console</c> the cache verbs
/// read from stdin, wait for Ctrl+C/SIGTERM, graceful stop.
/// </summary>
internal static class ServeCommand
{
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(string[] args)
    {
        ServeOptions options;
        List<(ServeListener Listener, UrlGroupOptions Options)> groups;
        try
        {
            // Every value is checked here, before anything listens: a bad one is a usage error, not a half-started server.
            options = ServeOptions.Parse(args);
            groups = options.Listeners.Select(l => (l, options.ToListenerSettings(l).ToUrlGroupOptions())).ToList();
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine("httpsys serve: " + UsageMessage(e));
            return ExitCodes.Usage;
        }
        catch (HttpSysException e)
        {
            Console.Error.WriteLine("httpsys serve: " + e.Message);
            return ExitCodes.For(e.Reason);
        }

        // With --log-dir the access logs are files; without it, one line per request on stdout (unless --quiet).
        await using var log = new W3CRequestLog(Console.Out, Console.Error, logRequests: !options.Quiet && options.LogDirectory is null);
        HttpServer server;
        try
        {
            // Reservations, SSL bindings and service-wide timers come from the machine store (or --config / HTTPSYSPS_CONFIG).
            var store = ServiceConfigStore.Open(options.ConfigPath);
            server = new HttpServer(new HttpServerOptions
            {
                Events = log,
                MaxConnections = options.ServerMaxConnections,
                ConfigStore = store,
                ErrorLog = new ErrorLogOptions(options.ErrorLogDirectory),
            });
        }
        catch (HttpSysException e)
        {
            Console.Error.WriteLine("httpsys serve: " + e.Message);
            return ExitCodes.For(e.Reason);
        }

        await using var _ = server;
        try
        {
            foreach (var (listener, groupOptions) in groups)
            {
                var handler = listener.Root is { } root
                    ? new StaticFileHandler(root)
                    : Load(listener.Handler!);
                var group = server.CreateUrlGroup(groupOptions, handler);
                await group.StartAsync().ConfigureAwait(false);
                foreach (var prefix in group.RegisteredPrefixes)
                {
                    Console.WriteLine($"Now listening on: {prefix}");
                }
            }
        }
        catch (HttpSysException e)
        {
            Console.Error.WriteLine("httpsys serve: " + e.Message);
            return ExitCodes.For(e.Reason);
        }

        if (options.LogDirectory is { } logs)
        {
            Console.WriteLine($"Logging to: {logs} (httperr*.log; u_ex*.log under each listener's folder)");
        }
        else if (!options.Quiet)
        {
            Console.WriteLine(W3CRequestLog.FieldsLine);
        }

        if (options.CommandConsole)
        {
            ServeConsole.Start(Console.In, Console.Out, Console.Error, server);
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.TrySetResult();
        };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.TrySetResult();
        });
        await stop.Task.ConfigureAwait(false);
        Console.Error.WriteLine("httpsys serve: stopping.");
        await server.StopAsync(GracePeriod).ConfigureAwait(false);
        return 0;
    }

    /// <summary>
    /// One line: the engine's range message without the "(Parameter 'x')" and "Actual value was" tails .NET appends,
    /// since the message already names the setting and its unit.
    /// </summary>
    private static string UsageMessage(ArgumentException e)
    {
        var message = e.Message.Split('\n')[0].TrimEnd('\r');
        var tail = $" (Parameter '{e.ParamName}')";
        return e.ParamName is not null && message.EndsWith(tail, StringComparison.Ordinal) ? message[..^tail.Length] : message;
    }

    private static IRequestHandler Load(string spec)
    {
        var (assembly, type) = HandlerLoader.ParseSpec(spec);
        return HandlerLoader.Load(assembly, type);
    }
}
