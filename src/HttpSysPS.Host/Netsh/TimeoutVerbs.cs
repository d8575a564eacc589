using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Host.Netsh;

/// <summary><c>add|delete|show timeout</c> (spec §4.2), with our names for the four listener-default timers.</summary>
internal static class TimeoutVerbs
{
    private static readonly (string Name, TimeoutKind Kind, string Label)[] Types =
    [
        ("idleconnectiontimeout", TimeoutKind.IdleConnection, "Idle Connection Timeout (secs)"),
        ("headerwaittimeout", TimeoutKind.HeaderWait, "Header Wait Timeout (secs)"),
        // Not in netsh (HTTP.sys sets these per application); here they are the service-wide defaults listeners inherit.
        ("entitybodytimeout", TimeoutKind.EntityBody, "Entity Body Timeout (secs)"),
        ("drainentitybodytimeout", TimeoutKind.DrainEntityBody, "Drain Entity Body Timeout (secs)"),
        ("requestqueuetimeout", TimeoutKind.RequestQueue, "Request Queue Timeout (secs)"),
        ("minsendrate", TimeoutKind.MinSendBytesPerSecond, "Min Send Rate (bytes/sec)"),
    ];

    public static int Run(NetshContext context)
    {
        var args = context.Arguments;
        switch (args.Verb)
        {
            case "add" or "delete":
                var type = args.Require("timeouttype");
                var entry = Types.FirstOrDefault(t => t.Name.Equals(type, StringComparison.OrdinalIgnoreCase));
                if (entry.Name is null)
                {
                    throw new NetshUsageException($"timeouttype={type} is not known; use {string.Join(", ", Types.Select(t => t.Name))}.");
                }

                // netsh delete timeout restores the default, which is what 0 (inherit) means in the store.
                var value = args.Verb == "add" ? args.GetNumber("value") : 0;
                args.RejectUnknown();
                return context.Report(
                    context.Store.SetTimeouts(new Dictionary<TimeoutKind, long> { [entry.Kind] = value }),
                    "HttpSysTimeout",
                    "Set",
                    entry.Kind.ToString(),
                    args.Verb == "add" ? "Timeout successfully added" : "Timeout successfully deleted",
                    $"{entry.Name} already {(value == 0 ? "at its default" : "has this value")}; nothing changed");
            case "show":
                args.RejectUnknown();
                Show(context, context.Store.Read().Timeouts);
                return NetshExitCode.Success;
            default:
                throw new NetshUsageException($"'{args.Verb} timeout' is not a command; use add, delete or show.");
        }
    }

    private static void Show(NetshContext context, TimeoutLimits stored)
    {
        var effective = TimeoutLimits.Resolve(null, stored);
        if (context.Arguments.Json)
        {
            context.WriteJson(w =>
            {
                foreach (var (name, kind, _) in Types)
                {
                    w.WriteStartObject(name);
                    w.WriteNumber("value", stored.Get(kind));
                    w.WriteNumber("effective", effective.Get(kind));
                    w.WriteEndObject();
                }
            });
            return;
        }

        // netsh prints the values in force (120 when never set).
        var o = context.Output;
        o.WriteLine();
        o.WriteLine("Service Timeout Values:");
        o.WriteLine("----------------------");
        o.WriteLine();
        foreach (var (_, kind, label) in Types)
        {
            context.Line(label, effective.Describe(kind), width: 33);
        }

        o.WriteLine();
    }
}
