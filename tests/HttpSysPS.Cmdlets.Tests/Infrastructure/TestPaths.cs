using System.Reflection;

namespace HttpSysPS.Cmdlets.Tests.Infrastructure;

/// <summary>Where the repository, the staged module, the fixture assembly and System.Management.Automation are.</summary>
public static class TestPaths
{
    private static string Metadata(string key) =>
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"AssemblyMetadata '{key}' is empty.");

    /// <summary>The repository root (from the build's RepoRoot).</summary>
    public static string RepoRoot { get; } = Path.GetFullPath(Metadata("RepoRoot"));

    /// <summary>artifacts/module/HttpSysPS, staged by the Cmdlets build.</summary>
    public static string ModuleDir { get; } = Path.Combine(RepoRoot, "artifacts", "module", "HttpSysPS");

    /// <summary>The repository's module manifest.</summary>
    public static string Manifest { get; } = Path.Combine(RepoRoot, "HttpSysPS.psd1");

    /// <summary>The repository's module loader.</summary>
    public static string Loader { get; } = Path.Combine(RepoRoot, "HttpSysPS.psm1");

    /// <summary>docs/cmdlets.</summary>
    public static string DocsDir { get; } = Path.Combine(RepoRoot, "docs", "cmdlets");

    /// <summary>src/HttpSysPS.Cmdlets, where the Format.ps1xml files live.</summary>
    public static string CmdletsSourceDir { get; } = Path.Combine(RepoRoot, "src", "HttpSysPS.Cmdlets");

    /// <summary>The staged cmdlet assembly (the one the module ships).</summary>
    public static string CmdletsDll { get; } = Path.Combine(ModuleDir, "HttpSysPS.Cmdlets.dll");

    /// <summary>The fixture cmdlet assembly of tests/fixtures/FixtureCmdlets.</summary>
    public static string FixtureDll { get; } = Path.Combine(Path.GetFullPath(Metadata("FixtureCmdletsDir")), "FixtureCmdlets.dll");

    /// <summary>System.Management.Automation from the PowerShellStandard.Library package: metadata only.</summary>
    public static string SmaDll { get; } = FindSma();

    private static string FindSma()
    {
        var roots = new[]
        {
            Metadata("NuGetPackageRoot"),
            Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? string.Empty,
            Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        };
        foreach (var root in roots.Where(r => r.Length > 0))
        {
            var path = Path.Combine(root, "powershellstandard.library", "5.1.0-preview-06", "lib", "netstandard2.0", "System.Management.Automation.dll");
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"System.Management.Automation.dll of PowerShellStandard.Library 5.1.0-preview-06 not found under {string.Join(", ", roots)}.");
    }
}
