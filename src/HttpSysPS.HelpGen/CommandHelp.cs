namespace HttpSysPS.HelpGen;

/// <summary>The help of one cmdlet as read from its platyPS Markdown file.</summary>
/// <param name="Name">Verb-Noun, from the <c># Title</c>.</param>
/// <param name="FrontMatter">The YAML header (e.g. <c>external help file</c>, <c>Module Name</c>).</param>
/// <param name="Synopsis">Paragraphs of <c>## SYNOPSIS</c>.</param>
/// <param name="Description">Paragraphs of <c>## DESCRIPTION</c>.</param>
/// <param name="ParameterSets">Parameter sets in <c>## SYNTAX</c> order (<c>__AllParameterSets</c> when the cmdlet has one unnamed set).</param>
/// <param name="DefaultParameterSet">The set marked <c>(Default)</c>, if any.</param>
/// <param name="Examples">Entries of <c>## EXAMPLES</c>.</param>
/// <param name="Parameters">Entries of <c>## PARAMETERS</c> except CommonParameters, in document order.</param>
/// <param name="Inputs">Entries of <c>## INPUTS</c>.</param>
/// <param name="Outputs">Entries of <c>## OUTPUTS</c>.</param>
/// <param name="Notes">Paragraphs of <c>## NOTES</c>.</param>
/// <param name="RelatedLinks">Entries of <c>## RELATED LINKS</c>.</param>
public sealed record CommandHelp(
    string Name,
    IReadOnlyDictionary<string, string> FrontMatter,
    IReadOnlyList<string> Synopsis,
    IReadOnlyList<string> Description,
    IReadOnlyList<string> ParameterSets,
    string? DefaultParameterSet,
    IReadOnlyList<ExampleHelp> Examples,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<TypeHelp> Inputs,
    IReadOnlyList<TypeHelp> Outputs,
    IReadOnlyList<string> Notes,
    IReadOnlyList<LinkHelp> RelatedLinks)
{
    /// <summary>The part of <see cref="Name"/> before the dash.</summary>
    public string Verb => Name[..Name.IndexOf('-', StringComparison.Ordinal)];

    /// <summary>The part of <see cref="Name"/> after the dash.</summary>
    public string Noun => Name[(Name.IndexOf('-', StringComparison.Ordinal) + 1)..];

    /// <summary>The parameters that belong to <paramref name="parameterSet"/>, with their metadata in that set.</summary>
    public IEnumerable<(ParameterHelp Parameter, ParameterSetHelp Metadata)> ParametersIn(string parameterSet)
    {
        foreach (var parameter in Parameters)
        {
            var metadata = parameter.MetadataFor(parameterSet);
            if (metadata is not null)
            {
                yield return (parameter, metadata);
            }
        }
    }
}

/// <summary>One <c>### -Name</c> entry of <c>## PARAMETERS</c>.</summary>
/// <param name="Name">Parameter name without the dash.</param>
/// <param name="Description">Paragraphs before the YAML block(s).</param>
/// <param name="Blocks">One YAML block per group of parameter sets (platyPS writes several when Required or Position differ between sets).</param>
public sealed record ParameterHelp(string Name, IReadOnlyList<string> Description, IReadOnlyList<ParameterSetHelp> Blocks)
{
    /// <summary>The type name as written in the YAML <c>Type:</c> field (same in every block).</summary>
    public string Type => Blocks[0].Type;

    /// <summary>True for <c>SwitchParameter</c>, which has no value in the syntax.</summary>
    public bool IsSwitch => string.Equals(Type, "SwitchParameter", StringComparison.OrdinalIgnoreCase);

    /// <summary>The YAML block that covers <paramref name="parameterSet"/>, or null when the parameter is not in it.</summary>
    public ParameterSetHelp? MetadataFor(string parameterSet) =>
        Blocks.FirstOrDefault(b => b.AllSets || b.ParameterSets.Contains(parameterSet, StringComparer.OrdinalIgnoreCase));
}

/// <summary>One YAML block under a <c>### -Name</c> heading.</summary>
/// <param name="Type">The <c>Type:</c> field, e.g. <c>String[]</c>.</param>
/// <param name="ParameterSets">The <c>Parameter Sets:</c> names (empty when <see cref="AllSets"/>).</param>
/// <param name="AllSets">True when <c>Parameter Sets: (All)</c>.</param>
/// <param name="Aliases">The <c>Aliases:</c> names.</param>
/// <param name="AcceptedValues">The <c>Accepted values:</c> list, if any.</param>
/// <param name="Required"><c>Required: True</c>.</param>
/// <param name="Position">0-based position, or null for <c>Named</c>.</param>
/// <param name="DefaultValue">The <c>Default value:</c> text (platyPS writes <c>None</c>).</param>
/// <param name="PipelineInput">The <c>Accept pipeline input:</c> text, e.g. <c>True (ByPropertyName)</c>.</param>
/// <param name="Globbing"><c>Accept wildcard characters: True</c>.</param>
public sealed record ParameterSetHelp(
    string Type,
    IReadOnlyList<string> ParameterSets,
    bool AllSets,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<string> AcceptedValues,
    bool Required,
    int? Position,
    string DefaultValue,
    string PipelineInput,
    bool Globbing);

/// <summary>One <c>### Example</c> entry: its title, the code of its fenced block(s) and the text around them.</summary>
public sealed record ExampleHelp(string Title, string Code, IReadOnlyList<string> Remarks);

/// <summary>One <c>### TypeName</c> entry of <c>## INPUTS</c> or <c>## OUTPUTS</c>.</summary>
public sealed record TypeHelp(string TypeName, IReadOnlyList<string> Description);

/// <summary>One line of <c>## RELATED LINKS</c>: <c>[text](uri)</c> or plain text.</summary>
public sealed record LinkHelp(string Text, string Uri);
