using System.Reflection;

namespace HttpSysPS.PowerShell.Tests.Infrastructure;

/// <summary>Where the repository, the staged module and the build's other outputs are (from the build's metadata).</summary>
public static class TestPaths
{
    /// <summary>The repository root.</summary>
    public static string RepoRoot { get; } = Path.GetFullPath(Metadata("RepoRoot"));

    /// <summary>The staged module's manifest: artifacts/module/HttpSysPS/HttpSysPS.psd1, as users import it.</summary>
    public static string ModuleManifest { get; } = Path.Combine(RepoRoot, "artifacts", "module", "HttpSysPS", "HttpSysPS.psd1");

    /// <summary>The sample compiled handler (samples/HelloHandler).</summary>
    public static string HelloHandler { get; } = Path.GetFullPath(Metadata("HelloHandlerPath"));

    /// <summary>samples/site: a static site (index.html, css/site.css) for -StaticRoot listeners.</summary>
    public static string SampleSite { get; } = Path.Combine(RepoRoot, "samples", "site");

    /// <summary>Pester's module manifest in the NuGet cache (the PackageDownload of this project).</summary>
    public static string PesterManifest { get; } = Metadata("PesterManifest");

    private static string Metadata(string key) =>
        typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"AssemblyMetadata '{key}' is empty.");
}
