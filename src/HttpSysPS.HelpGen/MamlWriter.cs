using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace HttpSysPS.HelpGen;

/// <summary>
/// Writes MAML the way platyPS 0.14 <c>New-ExternalHelp</c> does, so <c>Get-Help</c> shows the same synopsis,
/// syntax per parameter set, parameter attributes, examples, inputs, outputs, notes and links.
/// </summary>
public static class MamlWriter
{
    /// <summary>The default namespace of the <c>helpItems</c> root.</summary>
    public static readonly XNamespace Msh = "http://msh";

    /// <summary>The <c>maml:</c> namespace.</summary>
    public static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";

    /// <summary>The <c>command:</c> namespace.</summary>
    public static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";

    /// <summary>The <c>dev:</c> namespace.</summary>
    public static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    /// <summary>Builds the whole help document; commands are ordered by name so the output is deterministic.</summary>
    public static XDocument Build(IEnumerable<CommandHelp> commands) =>
        new(
            new XDeclaration("1.0", "utf-8", null),
            new XElement(
                Msh + "helpItems",
                new XAttribute("schema", "maml"),
                commands.OrderBy(c => c.Name, StringComparer.Ordinal).Select(CommandElement)));

    /// <summary>Writes <paramref name="document"/> as indented UTF-8 (no BOM) to <paramref name="path"/>.</summary>
    public static void Save(XDocument document, string path)
    {
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", Encoding = new UTF8Encoding(false), NewLineChars = "\n" };
        using var writer = XmlWriter.Create(path, settings);
        document.Save(writer);
    }

    private static XElement CommandElement(CommandHelp help) =>
        new(
            Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XAttribute(XNamespace.Xmlns + "MSHelp", "http://msdn.microsoft.com/mshelp"),
            new XElement(
                Command + "details",
                new XElement(Command + "name", help.Name),
                new XElement(Command + "verb", help.Verb),
                new XElement(Command + "noun", help.Noun),
                Description(help.Synopsis)),
            Description(help.Description),
            new XElement(Command + "syntax", help.ParameterSets.Select(set => SyntaxItem(help, set))),
            new XElement(Command + "parameters", help.Parameters.Select(p => Parameter(p, p.Blocks[0]))),
            new XElement(
                Command + "inputTypes",
                help.Inputs.Select(t => new XElement(Command + "inputType", TypeElement(t.TypeName), Description(t.Description)))),
            new XElement(
                Command + "returnValues",
                help.Outputs.Select(t => new XElement(Command + "returnValue", TypeElement(t.TypeName), Description(t.Description)))),
            new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraphs(help.Notes))),
            new XElement(
                Command + "examples",
                help.Examples.Select(e => new XElement(
                    Command + "example",
                    new XElement(Maml + "title", $"-------------------------- {e.Title} --------------------------"),
                    new XElement(Dev + "code", e.Code),
                    new XElement(Dev + "remarks", Paragraphs(e.Remarks))))),
            new XElement(
                Command + "relatedLinks",
                help.RelatedLinks.Select(l => new XElement(
                    Maml + "navigationLink",
                    new XElement(Maml + "linkText", l.Text),
                    new XElement(Maml + "uri", l.Uri)))));

    // PowerShell prints syntax as positional parameters first (by position), then the rest as documented.
    private static XElement SyntaxItem(CommandHelp help, string set) =>
        new(
            Command + "syntaxItem",
            new XElement(Maml + "name", help.Name),
            help.ParametersIn(set)
                .OrderBy(p => p.Metadata.Position ?? int.MaxValue)
                .Select(p => Parameter(p.Parameter, p.Metadata)));

    private static XElement Parameter(ParameterHelp parameter, ParameterSetHelp metadata) =>
        new(
            Command + "parameter",
            new XAttribute("required", metadata.Required ? "true" : "false"),
            new XAttribute("variableLength", "true"),
            new XAttribute("globbing", metadata.Globbing ? "true" : "false"),
            new XAttribute("pipelineInput", metadata.PipelineInput),
            new XAttribute("position", metadata.Position?.ToString(CultureInfo.InvariantCulture) ?? "named"),
            new XAttribute("aliases", metadata.Aliases.Count == 0 ? "none" : string.Join(", ", metadata.Aliases)),
            new XElement(Maml + "name", parameter.Name),
            Description(parameter.Description),
            metadata.AcceptedValues.Count == 0
                ? null
                : new XElement(
                    Command + "parameterValueGroup",
                    metadata.AcceptedValues.Select(v => new XElement(
                        Command + "parameterValue",
                        new XAttribute("required", "false"),
                        new XAttribute(Command + "variableLength", "false"),
                        v))),
            parameter.IsSwitch
                ? null
                : new XElement(
                    Command + "parameterValue",
                    new XAttribute("required", "true"),
                    new XAttribute("variableLength", "false"),
                    parameter.Type),
            TypeElement(parameter.Type),
            new XElement(Dev + "defaultValue", metadata.DefaultValue));

    private static XElement TypeElement(string name) =>
        new(Dev + "type", new XElement(Maml + "name", name), new XElement(Maml + "uri"));

    private static XElement Description(IEnumerable<string> paragraphs) =>
        new(Maml + "description", Paragraphs(paragraphs));

    private static IEnumerable<XElement> Paragraphs(IEnumerable<string> paragraphs)
    {
        var list = paragraphs.ToList();
        return list.Count == 0 ? [new XElement(Maml + "para")] : list.Select(p => new XElement(Maml + "para", p));
    }
}
