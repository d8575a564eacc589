using System.Reflection;
using System.Xml.Linq;
using HttpSysPS.Cmdlets.Tests.Infrastructure;

namespace HttpSysPS.Cmdlets.Tests;

/// <summary>HttpSysPS.psd1 agrees with the assembly and the repository (read without PowerShell).</summary>
public class ManifestTests
{
    private static Dictionary<string, object?> Manifest() => PowerShellDataFile.ParseHashtable(File.ReadAllText(TestPaths.Manifest));

    private static IEnumerable<string> FormatFilesPresent() =>
        Directory.GetFiles(TestPaths.CmdletsSourceDir, "*.ps1xml").Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal);

    [Fact]
    public void CmdletsToExport_equals_the_cmdlets_in_the_assembly() =>
        Problems.AssertNone(ManifestRules.Exports(Manifest(), CmdletAssemblyReader.ModuleCmdlets.Select(c => c.Name)), "HttpSysPS.psd1");

    [Fact]
    public void Exports_are_explicit_without_wildcards() =>
        Problems.AssertNone(ManifestRules.ExplicitExports(Manifest()), "HttpSysPS.psd1");

    // Both directions: a listed file that is missing and a Format file that is not listed both fail.
    [Fact]
    public void FormatsToProcess_lists_exactly_the_Format_files_present() =>
        Problems.AssertNone(ManifestRules.Formats(Manifest(), FormatFilesPresent()), "HttpSysPS.psd1 FormatsToProcess vs src/HttpSysPS.Cmdlets/*.ps1xml");

    [Fact]
    public void Manifest_targets_PowerShell_7_4_Core_with_the_assembly_version() =>
        Problems.AssertNone(ManifestRules.Basics(Manifest(), AssemblyName.GetAssemblyName(TestPaths.CmdletsDll).Version!), "HttpSysPS.psd1");

    [Theory]
    [MemberData(nameof(CmdletConventionTests.Cmdlets), MemberType = typeof(CmdletConventionTests))]
    public void Every_HttpSysPS_output_type_has_a_format_view(string name)
    {
        var viewed = FormatFilesPresent()
            .SelectMany(f => XDocument.Load(Path.Combine(TestPaths.CmdletsSourceDir, f)).Descendants("ViewSelectedBy").Elements("TypeName"))
            .Select(e => e.Value.Trim())
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = CmdletAssemblyReader.ModuleCmdlet(name).OutputTypes
            .Where(o => o.FullName.StartsWith("HttpSysPS.", StringComparison.Ordinal) && !viewed.Contains(o.FullName))
            .Select(o => $"{o.FullName} has no view (<ViewSelectedBy><TypeName>) in any src/HttpSysPS.Cmdlets/*.Format.ps1xml")
            .ToList();
        Problems.AssertNone(missing, name);
    }

    private const string GoodManifest = """
        # comment
        @{
            RootModule = 'HttpSysPS.psm1'
            ModuleVersion = '0.1.0'
            GUID = '0792cfb9-d107-4a39-8695-126120245255'
            Author = 'A'; Description = "D"
            CompatiblePSEditions = @('Core')
            PowerShellVersion = '7.4'
            FormatsToProcess = 'A.Format.ps1xml', 'B.Format.ps1xml'
            CmdletsToExport = @(
                'Get-Widget'
                'Set-Widget'
            )
            FunctionsToExport = @()
            AliasesToExport = @()
            VariablesToExport = @()
            PrivateData = @{ PSData = @{ Tags = @('x') } }
        }
        """;

    [Fact]
    public void Rules_pass_on_a_correct_manifest()
    {
        var manifest = PowerShellDataFile.ParseHashtable(GoodManifest);
        Problems.AssertNone(
            ManifestRules.Exports(manifest, ["Get-Widget", "Set-Widget"])
                .Concat(ManifestRules.ExplicitExports(manifest))
                .Concat(ManifestRules.Formats(manifest, ["A.Format.ps1xml", "B.Format.ps1xml"]))
                .Concat(ManifestRules.Basics(manifest, new Version(0, 1, 0, 0))),
            "sample manifest");
    }

    [Theory]
    [InlineData("'Set-Widget'", "'Set-Widget'\n'Remove-Widget'", "Exports", "CmdletsToExport names cmdlets the assembly does not have: Remove-Widget")]
    [InlineData("'Set-Widget'", "", "Exports", "cmdlets in the assembly but not in CmdletsToExport: Set-Widget")]
    [InlineData("'Set-Widget'", "'*-Widget'", "ExplicitExports", "CmdletsToExport contains the wildcard '*-Widget'")]
    [InlineData("FunctionsToExport = @()", "FunctionsToExport = '*'", "ExplicitExports", "FunctionsToExport contains the wildcard '*'")]
    [InlineData("AliasesToExport = @()", "", "ExplicitExports", "AliasesToExport is missing")]
    [InlineData("'A.Format.ps1xml', 'B.Format.ps1xml'", "'A.Format.ps1xml'", "Formats", "src/HttpSysPS.Cmdlets/B.Format.ps1xml exists but FormatsToProcess does not list it")]
    [InlineData("'A.Format.ps1xml', 'B.Format.ps1xml'", "'A.Format.ps1xml', 'B.Format.ps1xml', 'C.Format.ps1xml'", "Formats", "FormatsToProcess names C.Format.ps1xml, which does not exist")]
    [InlineData("@('Core')", "@('Core', 'Desktop')", "Basics", "CompatiblePSEditions is [Core, Desktop]")]
    [InlineData("'7.4'", "'5.1'", "Basics", "PowerShellVersion is '5.1'")]
    [InlineData("ModuleVersion = '0.1.0'", "ModuleVersion = '0.2.0'", "Basics", "ModuleVersion '0.2.0' differs from the assembly version 0.1.0")]
    [InlineData("PrivateData = @{ PSData = @{ Tags = @('x') } }", "", "Basics", "PrivateData.PSData is missing")]
    public void Rules_report_a_broken_manifest(string from, string to, string rule, string expected)
    {
        var text = GoodManifest.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(GoodManifest, text);
        var manifest = PowerShellDataFile.ParseHashtable(text);
        var problems = rule switch
        {
            "Exports" => ManifestRules.Exports(manifest, ["Get-Widget", "Set-Widget"]),
            "ExplicitExports" => ManifestRules.ExplicitExports(manifest),
            "Formats" => ManifestRules.Formats(manifest, ["A.Format.ps1xml", "B.Format.ps1xml"]),
            "Basics" => ManifestRules.Basics(manifest, new Version(0, 1, 0, 0)),
            _ => throw new ArgumentOutOfRangeException(nameof(rule)),
        };
        Problems.AssertReported(problems, expected);
    }
}
