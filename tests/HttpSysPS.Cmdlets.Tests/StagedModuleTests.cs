using System.Text.RegularExpressions;
using HttpSysPS.Cmdlets.Tests.Infrastructure;

namespace HttpSysPS.Cmdlets.Tests;

/// <summary>After the build, artifacts/module/HttpSysPS holds everything Import-Module will look for.</summary>
public partial class StagedModuleTests
{
    public const string HelpFile = "en-US/HttpSysPS.Cmdlets.dll-Help.xml";

    /// <summary>The manifest, RootModule, every FormatsToProcess file, every DLL the loader loads, and the help.</summary>
    public static TheoryData<string> NamedFiles
    {
        get
        {
            var manifest = PowerShellDataFile.ParseHashtable(File.ReadAllText(TestPaths.Manifest));
            var files = new List<string> { "HttpSysPS.psd1", (string)manifest["RootModule"]!, HelpFile };
            files.AddRange(PowerShellDataFile.Strings(manifest.GetValueOrDefault("FormatsToProcess")));
            files.AddRange(PowerShellDataFile.Strings(manifest.GetValueOrDefault("NestedModules")));
            files.AddRange(LoadedDlls());
            return new TheoryData<string>(files.Distinct(StringComparer.Ordinal));
        }
    }

    private static IEnumerable<string> LoadedDlls() =>
        DllName().Matches(File.ReadAllText(TestPaths.Loader)).Select(m => m.Groups["dll"].Value).Distinct(StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(NamedFiles))]
    public void Staged_module_contains(string file) =>
        Assert.True(File.Exists(Path.Combine(TestPaths.ModuleDir, file)), $"{file} is missing from {TestPaths.ModuleDir} (the StageModule target of HttpSysPS.Cmdlets.csproj copies it)");

    [Fact]
    public void Loader_loads_the_engine_and_the_cmdlets() =>
        Assert.Equal(["HttpSysPS.Cmdlets.dll", "HttpSysPS.Engine.dll"], LoadedDlls().Order(StringComparer.Ordinal));

    [Theory]
    [InlineData("HttpSysPS.psd1")]
    [InlineData("HttpSysPS.psm1")]
    [InlineData("HttpSysPS.DscResources.psm1")]
    public void Staged_copy_is_current(string file) =>
        Assert.True(
            File.ReadAllText(Path.Combine(TestPaths.RepoRoot, file)) == File.ReadAllText(Path.Combine(TestPaths.ModuleDir, file)),
            $"artifacts/module/HttpSysPS/{file} differs from the repository's {file}: the staging step did not run");

    [GeneratedRegex(@"['""](?<dll>HttpSysPS\.[A-Za-z.]+\.dll)['""]")]
    private static partial Regex DllName();
}
