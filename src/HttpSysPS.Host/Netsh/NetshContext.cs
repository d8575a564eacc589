using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Host.Netsh;

/// <summary>What a verb needs: its arguments, the store, and where to write.</summary>
internal sealed class NetshContext(NetshArguments arguments, ServiceConfigStore? store, TextWriter output, TextWriter error)
{
    public NetshArguments Arguments { get; } = arguments;

    /// <summary>The configuration store; the cache verbs work on a running server instead and have none.</summary>
    public ServiceConfigStore Store => store ?? throw new InvalidOperationException($"'{Arguments.Verb} {Arguments.Noun}' has no configuration store.");

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>
    /// Reports a mutation: netsh's success line, or a no-op line; warnings to stderr. With --json, the change report
    /// shared with the cmdlets' -PassThru ProvisioningResult (docs/configuration-management.md):
    /// <c>{"changed": bool, "kind": ..., "action": ..., "target": ..., "warnings": [...]}</c>.
    /// </summary>
    /// <param name="result">What the store did.</param>
    /// <param name="kind">The cmdlet noun of the change: UrlReservation, SslBinding or HttpSysTimeout.</param>
    /// <param name="action">The cmdlet verb of the change: Add, Set or Remove.</param>
    /// <param name="target">What was changed, normalised as stored (URL, binding key, timer name).</param>
    /// <param name="done">netsh's success line.</param>
    /// <param name="noChange">The line for an idempotent no-op.</param>
    public int Report(ConfigChangeResult result, string kind, string action, string target, string done, string noChange)
    {
        foreach (var warning in result.Warnings)
        {
            Error.WriteLine("warning: " + warning);
        }

        if (Arguments.Json)
        {
            WriteJson(w =>
            {
                w.WriteBoolean("changed", result.Changed);
                w.WriteString("kind", kind);
                w.WriteString("action", action);
                w.WriteString("target", target);
                w.WriteStartArray("warnings");
                foreach (var warning in result.Warnings)
                {
                    w.WriteStringValue(warning);
                }

                w.WriteEndArray();
            });
        }
        else
        {
            Output.WriteLine();
            Output.WriteLine(result.Changed ? done : noChange);
            Output.WriteLine();
        }

        return NetshExitCode.Success;
    }

    /// <summary>Writes one JSON object (the body fills it) and a newline.</summary>
    public void WriteJson(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        Output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>netsh's aligned "    Label : value" line.</summary>
    public void Line(string label, string? value, int indent = 4, int width = 29) =>
        Output.WriteLine($"{new string(' ', indent)}{label.PadRight(width)}: {value ?? "(null)"}");
}
