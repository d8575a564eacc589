using System.Text.Json.Nodes;

namespace HttpSysPS.Host.Tests.Dsc;

/// <summary>What one resource operation printed, read as DSC reads it.</summary>
internal sealed record DscResult(int ExitCode, string Output, string Error)
{
    /// <summary>stdout as JSON lines (DSC reads get, set, test and export output line by line).</summary>
    public IReadOnlyList<JsonNode> Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();

    /// <summary>The state line of get, or the first line of set/test with return kind stateAndDiff.</summary>
    public JsonObject State => Lines[0].AsObject();

    /// <summary>The second line of stateAndDiff: the differing (test) or changed (set) property names.</summary>
    public IReadOnlyList<string> Diff => Lines[1].AsArray().Select(n => (string)n!).ToList();

    /// <summary>Fails with the output when the exit code is not 0.</summary>
    public DscResult Ok()
    {
        Assert.True(ExitCode == 0, $"exit code {ExitCode}; stderr: {Error}; stdout: {Output}");
        return this;
    }
}
