using System.Xml.Linq;
using HttpSysPS.Cmdlets.Tests.Infrastructure;
using HttpSysPS.HelpGen;

namespace HttpSysPS.Cmdlets.Tests;

/// <summary>The Markdown-to-MAML generator on synthetic docs, each test in its own temp folder.</summary>
public sealed class HelpGenTests : IDisposable
{
    private const string HelpFileName = "HttpSysPS.Cmdlets.dll-Help.xml";
    private static readonly XNamespace Command = MamlWriter.Command;
    private static readonly XNamespace Maml = MamlWriter.Maml;
    private static readonly XNamespace Dev = MamlWriter.Dev;

    private readonly string root = Directory.CreateTempSubdirectory("httpsysps-helpgen-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Docs => Path.Combine(root, "docs");

    private string Output => Path.Combine(root, "out", "en-US", HelpFileName);

    private (int Exit, string Stdout, string Stderr) Run(params (string Name, string Text)[] docs)
    {
        Directory.CreateDirectory(Docs);
        foreach (var (name, text) in docs)
        {
            File.WriteAllText(Path.Combine(Docs, name), text);
        }

        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = HelpGenCommand.Run(["--docs", Docs, "--out", Output], stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Writes_platyPS_shaped_MAML_for_a_correct_doc()
    {
        var (exit, _, stderr) = Run(("Set-Widget.md", SampleDoc.SetWidget));
        Assert.True(exit == 0, stderr);

        var document = XDocument.Load(Output);
        Assert.Equal(XName.Get("helpItems", "http://msh"), document.Root!.Name);
        Assert.Equal("maml", document.Root.Attribute("schema")?.Value);
        var command = Assert.Single(document.Root.Elements(Command + "command"));
        var details = command.Element(Command + "details")!;
        Assert.Equal("Set-Widget", details.Element(Command + "name")!.Value);
        Assert.Equal("Set", details.Element(Command + "verb")!.Value);
        Assert.Equal("Widget", details.Element(Command + "noun")!.Value);
        Assert.Equal("Sets the size of a widget.", details.Element(Maml + "description")!.Element(Maml + "para")!.Value);
        Assert.Equal("Changes the size of one widget in the store.", command.Element(Maml + "description")!.Element(Maml + "para")!.Value);

        // One syntax item per set, in SYNTAX order, each with only that set's parameters; positional first.
        var items = command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
        Assert.Equal(2, items.Count);
        string[] Names(XElement item) => item.Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value).ToArray();
        Assert.Equal(["Name", "Size", "PassThru", "ConfigPath", "WhatIf"], Names(items[0]));
        Assert.Equal(["InputObject", "Size", "PassThru", "ConfigPath", "WhatIf"], Names(items[1]));

        var parameters = command.Element(Command + "parameters")!.Elements(Command + "parameter").ToDictionary(p => p.Element(Maml + "name")!.Value);
        Assert.Equal(6, parameters.Count);
        var name = parameters["Name"];
        Assert.Equal("true", name.Attribute("required")!.Value);
        Assert.Equal("0", name.Attribute("position")!.Value);
        Assert.Equal("WidgetName", name.Attribute("aliases")!.Value);
        Assert.Equal("False", name.Attribute("pipelineInput")!.Value);
        Assert.Equal("String", name.Element(Command + "parameterValue")!.Value);
        Assert.Equal("String", name.Element(Dev + "type")!.Element(Maml + "name")!.Value);
        Assert.Equal("The widget's name.", name.Element(Maml + "description")!.Element(Maml + "para")!.Value);
        Assert.Equal("True (ByValue)", parameters["InputObject"].Attribute("pipelineInput")!.Value);
        Assert.Equal("named", parameters["InputObject"].Attribute("position")!.Value);
        Assert.Equal("none", parameters["InputObject"].Attribute("aliases")!.Value);
        Assert.Equal("true", parameters["ConfigPath"].Attribute("globbing")!.Value);
        Assert.Equal("false", parameters["PassThru"].Attribute("required")!.Value);
        Assert.Null(parameters["PassThru"].Element(Command + "parameterValue"));
        Assert.Equal("False", parameters["PassThru"].Element(Dev + "defaultValue")!.Value);
        Assert.Equal(["1", "2", "3", "4"], parameters["Size"].Element(Command + "parameterValueGroup")!.Elements(Command + "parameterValue").Select(v => v.Value));

        var examples = command.Element(Command + "examples")!.Elements(Command + "example").ToList();
        Assert.Equal(2, examples.Count);
        Assert.Contains("Example 1: Grow a widget", examples[0].Element(Maml + "title")!.Value, StringComparison.Ordinal);
        Assert.Equal("PS> Set-Widget -Name left -Size 3", examples[0].Element(Dev + "code")!.Value);
        Assert.Equal("Sets the size of the widget named left to 3.", examples[0].Element(Dev + "remarks")!.Element(Maml + "para")!.Value);

        Assert.Equal("FixtureCmdlets.Good.Widget", command.Element(Command + "inputTypes")!.Element(Command + "inputType")!.Element(Dev + "type")!.Element(Maml + "name")!.Value);
        Assert.Equal("With -PassThru.", command.Element(Command + "returnValues")!.Element(Command + "returnValue")!.Element(Maml + "description")!.Element(Maml + "para")!.Value);
        Assert.Equal("Needs write access to the store.", command.Element(Maml + "alertSet")!.Element(Maml + "alert")!.Element(Maml + "para")!.Value);
        var link = command.Element(Command + "relatedLinks")!.Element(Maml + "navigationLink")!;
        Assert.Equal("Get-Widget", link.Element(Maml + "linkText")!.Value);
        Assert.Equal("Get-Widget.md", link.Element(Maml + "uri")!.Value);
    }

    [Fact]
    public void Commands_are_ordered_by_name_and_a_missing_docs_folder_gives_empty_help()
    {
        var (exit, _, stderr) = Run(
            ("Set-Widget.md", SampleDoc.SetWidget),
            ("Add-Widget.md", SampleDoc.SetWidget.Replace("# Set-Widget", "# Add-Widget", StringComparison.Ordinal)));
        Assert.True(exit == 0, stderr);
        Assert.Equal(["Add-Widget", "Set-Widget"], XDocument.Load(Output).Root!.Elements(Command + "command").Select(c => c.Element(Command + "details")!.Element(Command + "name")!.Value));

        using var none = new StringWriter();
        Assert.Equal(0, HelpGenCommand.Run(["--docs", Path.Combine(root, "absent"), "--out", Output], none, none));
        Assert.Empty(XDocument.Load(Output).Root!.Elements());
    }

    [Theory]
    [InlineData("## SYNOPSIS\nSets the size of a widget.\n", "", "# Set-Widget", "missing the '## SYNOPSIS' section")]
    [InlineData("Sets the size of a widget.", "{{ Fill in the Synopsis }}", "## SYNOPSIS", "unfilled platyPS placeholder")]
    [InlineData("## NOTES", "## REMARKS", "## REMARKS", "unknown section")]
    [InlineData("Required: True\nPosition: 0", "Required: Yes\nPosition: 0", "### -Name", "'Required: Yes' must be True or False")]
    [InlineData("Parameter Sets: ByName", "Parameter Sets: ByTitle", "### -Name", "parameter set 'ByTitle' is not one of the '## SYNTAX' sets")]
    [InlineData("Type: Int32", "Tipe: Int32", "### -Size", "unknown yaml line 'Tipe: Int32'")]
    [InlineData("The new size.\n\n```yaml", "The new size.\n\n```", "### -Size", "expected a ```yaml block")]
    [InlineData("Writes the changed widget.\n\n```yaml\nType: SwitchParameter\nParameter Sets: (All)\nAliases:\n\nRequired: False\nPosition: Named\n", "Writes the changed widget.\n\n```yaml\nType: SwitchParameter\nParameter Sets: (All)\nAliases:\n\nRequired: False\n", "### -PassThru", "no 'Position:' value")]
    [InlineData("### -PassThru", "### PassThru", "### PassThru", "must be '### -Name'")]
    [InlineData("```powershell\nPS> Set-Widget -Name left -Size 3\n```", "PS> Set-Widget -Name left -Size 3", "### Example 1: Grow a widget", "the example has no ``` code block")]
    [InlineData("## OUTPUTS\n\n### FixtureCmdlets.Good.Widget\nWith -PassThru.\n", "## OUTPUTS\n\n", "## OUTPUTS", "write '### None'")]
    [InlineData("# Set-Widget", "# Set-Gadget", "# Set-Gadget", "must equal the file name 'Set-Widget'")]
    [InlineData("---\nexternal help file: HttpSysPS.Cmdlets.dll-Help.xml\nModule Name: HttpSysPS\nonline version:\nschema: 2.0.0\n---\n", "", "front matter", "must start with the platyPS YAML front matter")]
    [InlineData("external help file: HttpSysPS.Cmdlets.dll-Help.xml", "external help file: Other.dll-Help.xml", "front matter", "must be 'HttpSysPS.Cmdlets.dll-Help.xml'")]
    [InlineData("[Get-Widget](Get-Widget.md)", "[Get-Widget](Get-Widget.md)\n\n```\nnever closed", "## RELATED LINKS", "never closed")]
    public void A_malformed_doc_fails_the_generator_naming_file_and_heading(string from, string to, string heading, string problem)
    {
        var text = SampleDoc.SetWidget.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(SampleDoc.SetWidget, text);
        Directory.CreateDirectory(Path.GetDirectoryName(Output)!);
        File.WriteAllText(Output, "<stale/>");

        var (exit, _, stderr) = Run(("Set-Widget.md", text));

        Assert.Equal(1, exit);
        var file = Path.Combine(Docs, "Set-Widget.md");
        Assert.Contains($"{file}(", stderr, StringComparison.Ordinal);
        Assert.Contains(": error HELPGEN001: ", stderr, StringComparison.Ordinal);
        Assert.Contains($"under '{heading}'", stderr, StringComparison.Ordinal);
        Assert.Contains(problem, stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Output), "a failed run must not leave help an incremental build would treat as current");
    }

    [Fact]
    public void Parser_exception_carries_file_line_and_heading()
    {
        var text = SampleDoc.SetWidget.Replace("Required: True\nPosition: 0", "Required: maybe\nPosition: 0", StringComparison.Ordinal);
        var e = Assert.Throws<HelpFormatException>(() => MarkdownHelpParser.Parse("docs/cmdlets/Set-Widget.md", text, "Set-Widget"));
        Assert.Equal("docs/cmdlets/Set-Widget.md", e.File);
        Assert.Equal("### -Name", e.Heading);
        Assert.Equal(text.Split('\n').ToList().FindIndex(l => l == "```yaml" ) + 1, e.Line);
        Assert.StartsWith("docs/cmdlets/Set-Widget.md(", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_arguments_exit_2_with_usage()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Assert.Equal(2, HelpGenCommand.Run(["--docs"], stdout, stderr));
        Assert.Contains("Usage", stderr.ToString(), StringComparison.Ordinal);
    }
}
