using System.Diagnostics;
using System.Text.Json.Nodes;

namespace HttpSysPS.Host.Tests.Dsc;

/// <summary>
/// A <c>*.dsc.resource.json</c> manifest from the build output (beside httpsys), and the way DSC v3 runs one of its
/// operations, read from the manifest itself: the <c>executable</c>, run in the manifest's directory (DSC's working
/// directory for a resource, where it also looks for an executable that is not on PATH); the <c>args</c>, where a
/// <c>{"jsonInputArg": NAME}</c> item becomes NAME and the instance JSON (left out when there is no input unless
/// <c>mandatory</c>); and <c>input</c>: <c>stdin</c> writes the compact instance JSON, <c>env</c> sets one variable per
/// property. Nothing about httpsys's command line is written in the tests.
/// </summary>
internal sealed class DscManifest
{
    private DscManifest(string path, JsonObject json)
    {
        Path = path;
        Json = json;
    }

    public static string Directory => AppContext.BaseDirectory;

    /// <summary>Every manifest shipped beside httpsys.</summary>
    public static IReadOnlyList<string> Files => System.IO.Directory.GetFiles(Directory, "*.dsc.resource.json").Order(StringComparer.Ordinal).ToList();

    public string Path { get; }

    public JsonObject Json { get; }

    public string Type => (string)Json["type"]!;

    /// <summary>The embedded instance schema.</summary>
    public JsonObject InstanceSchema => Json["schema"]!["embedded"]!.AsObject();

    /// <summary>The manifest's exit codes, as numbers.</summary>
    public IReadOnlyDictionary<int, string> ExitCodes => Json["exitCodes"]!.AsObject().ToDictionary(p => int.Parse(p.Key, System.Globalization.CultureInfo.InvariantCulture), p => (string)p.Value!);

    public static DscManifest Load(string type)
    {
        foreach (var file in Files)
        {
            var json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
            if ((string?)json["type"] == type)
            {
                return new DscManifest(file, json);
            }
        }

        throw new InvalidOperationException($"No manifest for {type} in {Directory}.");
    }

    /// <summary>Runs <paramref name="operation"/> (get, set, whatIf, test, delete, export) as DSC would, against the store <paramref name="configPath"/>.</summary>
    public async Task<DscResult> InvokeAsync(string operation, string? instance, string configPath)
    {
        var method = Json[operation]?.AsObject() ?? throw new InvalidOperationException($"{Type} has no '{operation}' in its manifest.");
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        var executable = (string)method["executable"]!;
        var local = System.IO.Path.Combine(directory, executable);
        var info = new ProcessStartInfo(File.Exists(local) ? local : executable)
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var input = instance ?? string.Empty;
        foreach (var arg in method["args"]?.AsArray() ?? [])
        {
            if (arg is JsonObject jsonArg)
            {
                if (input.Length > 0 || (bool?)jsonArg["mandatory"] == true)
                {
                    info.ArgumentList.Add((string)jsonArg["jsonInputArg"]!);
                    info.ArgumentList.Add(input);
                }
            }
            else
            {
                info.ArgumentList.Add((string)arg!);
            }
        }

        // The store is the one thing the test chooses, through the environment DSC passes on to resources.
        info.Environment["HTTPSYSPS_CONFIG"] = configPath;
        var inputKind = (string?)method["input"];
        if (inputKind == "env" && input.Length > 0)
        {
            foreach (var (name, value) in JsonNode.Parse(input)!.AsObject())
            {
                info.Environment[name] = value is JsonValue v && v.TryGetValue<string>(out var text) ? text : value?.ToJsonString();
            }
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (inputKind == "stdin" && input.Length > 0)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        return new DscResult(process.ExitCode, await output, await error);
    }
}
