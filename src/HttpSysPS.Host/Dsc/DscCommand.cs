using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using HttpSysPS.Engine;
using HttpSysPS.Engine.Configuration;
using HttpSysPS.Host.Netsh;

namespace HttpSysPS.Host.Dsc;

/// <summary>
/// <c>httpsys dsc &lt;urlreservation|sslbinding|timeout&gt; &lt;get|set|test|delete|export&gt; [--what-if]
/// [--input JSON] [--config PATH]</c>: the executable side of the DSC v3 command resources whose manifests
/// (<c>*.dsc.resource.json</c>) ship beside <c>httpsys</c>. The instance comes from <c>--input</c>, else stdin.
/// Output is what DSC reads (docs/configuration-management.md): get prints the state; test the state with
/// <c>_inDesiredState</c> and then the differing properties (return kind stateAndDiff); set the new state and then
/// the changed properties; export one state per line; delete nothing. Failures print one JSON trace line on stderr
/// (<c>{"error":"httpsys: ..."}</c>, which DSC shows as the resource's error) and exit with the codes of
/// <see cref="NetshExitCode"/>, listed in each manifest's <c>exitCodes</c>; the store is not changed.
/// </summary>
internal static class DscCommand
{
    private static readonly IDscResource[] Resources = [new UrlReservationResource(), new SslBindingResource(), new TimeoutResource()];

    // "+" and "&" stay readable in URLs; the output is JSON for a program, not HTML.
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static int Run(string[] args) =>
        Run(args, () => Console.IsInputRedirected ? Console.In.ReadToEnd() : string.Empty, Console.Out, Console.Error, Environment.GetEnvironmentVariable);

    public static int Run(string[] args, Func<string> readStdin, TextWriter output, TextWriter error, Func<string, string?> getEnvironmentVariable)
    {
        try
        {
            var (resource, operation, inputText, configPath, whatIf) = ParseArguments(args);
            var input = DscInput.Parse(inputText ?? readStdin(), resource.Name);
            var store = ServiceConfigStore.Open(configPath, getEnvironmentVariable);
            switch (operation)
            {
                case "get":
                    Write(output, resource.Get(store.Read(), input));
                    break;
                case "test":
                    var tested = resource.Plan(store.Read(), input);
                    var state = tested.Actual;
                    state["_inDesiredState"] = tested.Differences.Count == 0;
                    Write(output, state);
                    Write(output, Names(tested.Differences));
                    break;
                case "set":
                    Set(resource, store, input, whatIf, output, error);
                    break;
                case "delete":
                    foreach (var warning in resource.Delete(store, input).Warnings)
                    {
                        Trace(error, "warn", warning);
                    }

                    break;
                case "export":
                    foreach (var instance in resource.Export(store.Read(), input))
                    {
                        Write(output, instance);
                    }

                    break;
            }

            return NetshExitCode.Success;
        }
        catch (Exception e) when (e is DscInputException or NetshUsageException)
        {
            Trace(error, "error", "httpsys: " + e.Message);
            return NetshExitCode.Usage;
        }
        catch (HttpSysException e)
        {
            Trace(error, "error", "httpsys: " + e.Message);
            return NetshExitCode.For(e.Reason);
        }
        catch (ArgumentException e)
        {
            // Range checks of the options records (a timer above 65535 s) name the property and unit.
            Trace(error, "error", "httpsys: " + (e is ArgumentOutOfRangeException r ? r.Message.Split('\n')[0] : e.Message));
            return NetshExitCode.For(HttpSysErrorReason.InvalidArgument);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Trace(error, "error", "httpsys: " + e.Message);
            return NetshExitCode.Unexpected;
        }
    }

    /// <summary>
    /// Set tests first (the manifest says implementsPretest): in the desired state nothing is written and the changed
    /// properties are []. What-if reads the store, applies the change in memory (so conflicts still fail) and prints the
    /// state set would leave and the properties it would change.
    /// </summary>
    private static void Set(IDscResource resource, ServiceConfigStore store, DscInput input, bool whatIf, TextWriter output, TextWriter error)
    {
        var config = store.Read();
        var plan = resource.Plan(config, input);
        IReadOnlyList<string> changed = plan.Differences;
        if (whatIf)
        {
            config = plan.Simulate(config);
        }
        else if (plan.Differences.Count > 0)
        {
            var result = plan.Apply(store);
            foreach (var warning in result.Warnings)
            {
                Trace(error, "warn", warning);
            }

            // Another writer may have got there between the test and the lock: then this run changed nothing.
            changed = result.Changed ? plan.Differences : [];
            config = store.Read();
        }

        Write(output, resource.Get(config, DscInput.Parse(plan.Key, resource.Name)));
        Write(output, Names(changed));
    }

    private static (IDscResource Resource, string Operation, string? Input, string? ConfigPath, bool WhatIf) ParseArguments(string[] args)
    {
        const string Syntax = "usage: httpsys dsc urlreservation|sslbinding|timeout get|set|test|delete|export [--what-if] [--input JSON] [--config PATH]";
        string? input = null, config = null;
        var whatIf = false;
        var positional = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--input":
                    input = i + 1 < args.Length ? args[++i] : throw new NetshUsageException("--input needs the instance JSON.");
                    break;
                case "--config":
                    config = i + 1 < args.Length ? args[++i] : throw new NetshUsageException("--config needs a path.");
                    break;
                case "--what-if":
                    whatIf = true;
                    break;
                case var other when other.StartsWith("--config=", StringComparison.Ordinal):
                    config = other["--config=".Length..];
                    break;
                case var other when other.StartsWith("--", StringComparison.Ordinal):
                    throw new NetshUsageException($"Unknown option '{other}'. {Syntax}");
                default:
                    positional.Add(args[i].ToLowerInvariant());
                    break;
            }
        }

        if (positional.Count != 2)
        {
            throw new NetshUsageException(Syntax);
        }

        var resource = Resources.FirstOrDefault(r => r.Name == positional[0]) ?? throw new NetshUsageException($"'{positional[0]}' is not a DSC resource of httpsys. {Syntax}");
        if (positional[1] is not ("get" or "set" or "test" or "delete" or "export"))
        {
            throw new NetshUsageException($"'{positional[1]}' is not a DSC operation. {Syntax}");
        }

        if (whatIf && positional[1] != "set")
        {
            throw new NetshUsageException("--what-if applies to set only.");
        }

        return (resource, positional[1], input, config, whatIf);
    }

    private static JsonArray Names(IEnumerable<string> names) => new(names.Select(n => (JsonNode)JsonValue.Create(n)).ToArray());

    private static void Write(TextWriter output, JsonNode node) => output.WriteLine(node.ToJsonString(Compact));

    /// <summary>One JSON line DSC reads as a trace message of <paramref name="level"/> (error, warn, info).</summary>
    private static void Trace(TextWriter error, string level, string message) =>
        error.WriteLine(new JsonObject { [level] = message }.ToJsonString(Compact));
}
