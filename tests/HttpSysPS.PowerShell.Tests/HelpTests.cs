using System.Text.RegularExpressions;
using HttpSysPS.PowerShell.Tests.Infrastructure;

namespace HttpSysPS.PowerShell.Tests;

/// <summary>
/// Get-Help -Full as a user sees it: for every exported cmdlet, from the staged MAML (generated from docs/cmdlets),
/// not the syntax-only help PowerShell makes up when it finds none.
/// </summary>
public sealed partial class HelpTests : IDisposable
{
    private static readonly string DocsDir = Path.Combine(TestPaths.RepoRoot, "docs", "cmdlets");

    private readonly ModuleSession _session = new();

    public void Dispose() => _session.Dispose();

    /// <summary>Every cmdlet with a doc page (the doc pages and the exported cmdlets are checked to be the same set below).</summary>
    public static TheoryData<string> Documented() => new(DocNames());

    private static string[] DocNames() =>
        [.. Directory.GetFiles(DocsDir, "*.md").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!];

    [Fact]
    public void Every_exported_cmdlet_has_a_doc_page_and_every_page_a_cmdlet()
    {
        var exported = _session.Run("(Get-Module -Name HttpSysPS).ExportedCmdlets.Keys").Output.Select(o => (string)o.BaseObject).Order(StringComparer.Ordinal);
        Assert.Equal(DocNames(), exported);
    }

    [Theory]
    [MemberData(nameof(Documented))]
    public void Get_Help_Full_shows_the_docs_synopsis_parameters_and_examples(string cmdlet)
    {
        var doc = File.ReadAllText(Path.Combine(DocsDir, cmdlet + ".md"));
        var help = Assert.Single(_session.Run("Get-Help -Name $args[0] -Full", cmdlet).Output);

        Assert.Contains("MamlCommandHelpInfo", help.TypeNames);
        var synopsis = help.Get<string>("Synopsis");
        Assert.False(string.IsNullOrWhiteSpace(synopsis));
        Assert.Equal(Normalize(Section(doc, "SYNOPSIS")), Normalize(synopsis));

        var description = Normalize(string.Join(" ", _session.Run("(Get-Help -Name $args[0] -Full).description | ForEach-Object { $_.Text }", cmdlet).Output.Select(o => (string)o.BaseObject)));
        Assert.Equal(Normalize(Section(doc, "DESCRIPTION")), description);

        // Every parameter of the cmdlet (common parameters apart) is in the help, and nothing else.
        var documented = ParameterHeading().Matches(Section(doc, "PARAMETERS")).Select(m => m.Groups["name"].Value).Order(StringComparer.Ordinal);
        var inHelp = _session.Run("(Get-Help -Name $args[0] -Full).parameters.parameter.name", cmdlet).Output.Select(o => (string)o.BaseObject).Order(StringComparer.Ordinal).ToArray();
        var actual = _session.Run(
            "(Get-Command -Name $args[0]).Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters -and $_ -notin [System.Management.Automation.PSCmdlet]::OptionalCommonParameters -or $_ -in 'WhatIf', 'Confirm' }",
            cmdlet).Output.Select(o => (string)o.BaseObject).Order(StringComparer.Ordinal);
        Assert.Equal(documented, inHelp);
        Assert.Equal(actual, inHelp);

        var examples = _session.Run("(Get-Help -Name $args[0] -Full).examples.example | ForEach-Object { $_.code }", cmdlet).Output.Select(o => (string)o.BaseObject).ToArray();
        Assert.NotEmpty(examples);
        Assert.All(examples, code => Assert.False(string.IsNullOrWhiteSpace(code)));
        Assert.Contains(cmdlet, examples[0], StringComparison.OrdinalIgnoreCase);

        // And it renders: the text a console shows has the sections and the first example.
        var text = _session.RunText("Get-Help -Name $args[0] -Full | Out-String -Width 120", cmdlet);
        foreach (var heading in new[] { "NAME", "SYNOPSIS", "SYNTAX", "DESCRIPTION", "PARAMETERS", "INPUTS", "OUTPUTS" })
        {
            Assert.Matches(new Regex($"^{heading}\\s*$", RegexOptions.Multiline), text);
        }

        Assert.Contains("Example 1", text);
    }

    // The text of "## NAME" up to the next "## " heading.
    private static string Section(string doc, string name)
    {
        var match = Regex.Match(doc, $"^## {name}[ \\t]*\\r?\\n(?<body>.*?)(?=^## |\\z)", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(match.Success, $"no ## {name}");
        return match.Groups["body"].Value;
    }

    private static string Normalize(string text) => Regex.Replace(text, @"\s+", " ").Trim();

    [GeneratedRegex(@"^### -(?<name>\w+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ParameterHeading();
}
