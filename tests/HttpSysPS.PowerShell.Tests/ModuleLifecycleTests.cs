using System.Diagnostics;
using System.Reflection;
using HttpSysPS.PowerShell.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using SMA = System.Management.Automation;

namespace HttpSysPS.PowerShell.Tests;

/// <summary>
/// Remove-Module HttpSysPS removes every listener of the process (the psm1's OnRemove), so this runs alone.
/// </summary>
[Collection(nameof(SerialCollection))]
public sealed class ModuleRemovalTests : IDisposable
{
    private readonly ModuleSession _session = new();
    private readonly ModuleSession _other = new();

    public void Dispose()
    {
        _other.Dispose();
        _session.Dispose();
    }

    [Fact]
    public async Task Remove_Module_stops_and_removes_every_listener_and_frees_its_ports()
    {
        var stem = ModuleSession.UniqueName("unload");
        var compiled = Ok(_session, "New-HttpSysListener -UrlPrefix 'http://localhost:0/' -HandlerAssembly $args[0] -HandlerType HelloHandler.HelloHandler -Name $args[1] -Start", TestPaths.HelloHandler, stem + "-compiled");
        var site = Ok(_session, "New-HttpSysListener -UrlPrefix 'http://localhost:0/site/' -StaticRoot $args[0] -Name $args[1] -Start", TestPaths.SampleSite, stem + "-site");
        Ok(_session, "New-HttpSysListener -UrlPrefix 'http://localhost:0/' -StaticRoot $args[0] -Name $args[1]", TestPaths.SampleSite, stem + "-idle");
        var urls = new[] { compiled, site }.Select(l => l.Strings("BoundUrl")[0]).ToArray();
        Assert.Equal("Hello, World!", (await Http.GetAsync(urls[0])).Body);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await Http.GetAsync(urls[1])).Status);
        Assert.All(urls, url => Assert.False(Http.PortIsFree(Http.Port(url))));

        // Another runspace waits on them: it must end when they go (not hang on a registry that forgot them).
        using var waiter = SMA.PowerShell.Create();
        waiter.Runspace = _other.Runspace;
        waiter.AddScript("Wait-HttpSysListener -Name ($args[0] + '-*') -PassThru").AddArgument(stem);
        var waiting = waiter.InvokeAsync();

        var removal = _session.Run("Remove-Module -Name HttpSysPS");
        Assert.Empty(removal.Errors);
        Assert.Empty(_session.Run("Get-Module -Name HttpSysPS").Output);

        foreach (var url in urls)
        {
            Assert.True(Http.PortIsFree(Http.Port(url)), $"{url}: the port is still held after Remove-Module.");
            Assert.True(await Http.IsRefusedAsync(url), $"{url}: still answers after Remove-Module.");
        }

        var waited = await waiting.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal([stem + "-compiled", stem + "-idle", stem + "-site"], waited.Select(l => l.Get<string>("Name")).Order());
        Assert.All(waited, l => Assert.Equal("Removed", l.Get<string>("State")));
        var left = _other.Run("Get-HttpSysListener -Name ($args[0] + '-*')", stem);
        Assert.Empty(left.Output);
        Assert.Empty(left.Errors);

        // The module imports again into the same session, and its listeners work (a new server, a fresh registry).
        Ok(_session, "Import-Module -Name $args[0] -ErrorAction Stop", TestPaths.ModuleManifest);
        var again = Ok(_session, "New-HttpSysListener -UrlPrefix 'http://localhost:0/' -HandlerAssembly $args[0] -HandlerType HelloHandler.HelloHandler -Name $args[1] -Start", TestPaths.HelloHandler, stem + "-again");
        try
        {
            Assert.Equal("Hello, World!", (await Http.GetAsync(again.Strings("BoundUrl")[0])).Body);
        }
        finally
        {
            _session.Run("Remove-HttpSysListener -Name $args[0] -Force", stem + "-again");
        }
    }

    private static SMA.PSObject Ok(ModuleSession session, string script, params object?[] arguments)
    {
        var result = session.Run(script, arguments);
        Assert.True(result.Errors.Length == 0, string.Join(Environment.NewLine, result.Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}")));
        return result.Output.SingleOrDefault() ?? new SMA.PSObject();
    }
}

/// <summary>
/// The psm1 refuses to import into a session that already holds another build of HttpSysPS.Engine (.NET cannot unload
/// it, and the cmdlets would bind to the old one). One process can hold only one HttpSysPS.Engine, so each case runs
/// in a child pwsh: the "other build" is a tiny assembly named HttpSysPS.Engine with another version, compiled here.
/// </summary>
public sealed class EngineVersionGuardTests
{
    private const string OtherVersion = "9.9.9-guardtest";

    private static readonly string StagedEngine = Path.Combine(Path.GetDirectoryName(TestPaths.ModuleManifest)!, "HttpSysPS.Engine.dll");

    // Loads an engine first (as an earlier import of another build would have), then imports the staged module.
    private const string Script = """
        $ErrorActionPreference = 'Stop'
        Add-Type -LiteralPath $args[0]
        try {
            Import-Module -Name $args[1]
        }
        catch {
            "IMPORT FAILED: $($_.Exception.Message)"
            "MODULE LOADED: $($null -ne (Get-Module -Name HttpSysPS))"
            exit 3
        }
        "IMPORTED: $((Get-Command -Module HttpSysPS -Name New-HttpSysListener).Name)"
        """;

    [Fact]
    public async Task Import_fails_with_both_versions_and_the_fix_when_another_engine_build_is_loaded()
    {
        var dir = Directory.CreateTempSubdirectory("httpsysps-guard-");
        try
        {
            var fake = Path.Combine(dir.FullName, "HttpSysPS.Engine.dll");
            CompileOtherEngine(fake);
            var wanted = FileVersionInfo.GetVersionInfo(StagedEngine).ProductVersion;
            Assert.False(string.IsNullOrEmpty(wanted));
            Assert.NotEqual(OtherVersion, wanted);

            var result = await ChildPwsh.RunAsync(Script, [fake, TestPaths.ModuleManifest]);

            Assert.True(result.ExitCode == 3, $"exit {result.ExitCode}: {result.Output}{result.Error}");
            var message = Assert.Single(result.Output.Split('\n'), l => l.StartsWith("IMPORT FAILED: ", StringComparison.Ordinal)).TrimEnd('\r');
            Assert.Equal(
                $"IMPORT FAILED: HttpSysPS: this session already has HttpSysPS.Engine version {OtherVersion} loaded (from {fake}), " +
                $"but the module in '{Path.GetDirectoryName(TestPaths.ModuleManifest)}' needs version {wanted}. .NET cannot unload or replace an assembly " +
                "in a running session: start a new PowerShell session (pwsh) and run Import-Module HttpSysPS there.",
                message);
            Assert.Contains("MODULE LOADED: False", result.Output);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Import_succeeds_when_the_same_engine_build_is_already_loaded()
    {
        var result = await ChildPwsh.RunAsync(Script, [StagedEngine, TestPaths.ModuleManifest]);

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Output}{result.Error}");
        Assert.Contains("IMPORTED: New-HttpSysListener", result.Output);
    }

    // An assembly with the engine's name and another version: all the guard looks at.
    private static void CompileOtherEngine(string path)
    {
        var source = $$"""
            [assembly: System.Reflection.AssemblyVersion("9.9.9.0")]
            [assembly: System.Reflection.AssemblyInformationalVersion("{{OtherVersion}}")]
            namespace HttpSysPS.Engine { public static class GuardTestMarker { } }
            """;
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is "System.Runtime.dll" or "System.Private.CoreLib.dll")
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(
            "HttpSysPS.Engine",
            [CSharpSyntaxTree.ParseText(source)],
            platform,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var emitted = compilation.Emit(path);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));
        Assert.Equal(OtherVersion, FileVersionInfo.GetVersionInfo(path).ProductVersion);
        Assert.Equal("HttpSysPS.Engine", AssemblyName.GetAssemblyName(path).Name);
    }
}
