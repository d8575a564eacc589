using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace HttpSysPS.Host.Tests.Dsc;

/// <summary>
/// The published DSC v3 manifest schema (tests/fixtures/dsc-schemas, copied unchanged) and the instance schemas the
/// manifests embed, validated with JsonSchema.Net. One registry per instance: no global registration, so tests stay
/// independent. The bundle's $defs carry the <c>_exist</c>/<c>_inDesiredState</c> schemas the instance schemas $ref.
/// </summary>
internal sealed class DscSchemas
{
    private readonly BuildOptions _options = new() { SchemaRegistry = new SchemaRegistry() };

    public DscSchemas()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "dsc-schemas", "resource-manifest.json");
        Manifest = JsonSchema.FromText(File.ReadAllText(path), _options);
    }

    public JsonSchema Manifest { get; }

    /// <summary>The errors of <paramref name="instance"/> against <paramref name="schema"/>; empty when valid.</summary>
    public static IReadOnlyList<string> Errors(JsonSchema schema, JsonNode instance)
    {
        using var document = JsonDocument.Parse(instance.ToJsonString());
        var results = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        return results.IsValid
            ? []
            : (results.Details ?? []).Where(d => d.Errors is not null)
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Key}: {e.Value}"))
                .DefaultIfEmpty("invalid (no details)")
                .ToList();
    }

    /// <summary>Builds a manifest's embedded instance schema in this registry.</summary>
    public JsonSchema Instance(DscManifest manifest) =>
        JsonSchema.FromText(manifest.InstanceSchema.ToJsonString(), _options, new Uri($"https://httpsysps.invalid/dsc/{manifest.Type.Replace('/', '.')}.json"));
}
