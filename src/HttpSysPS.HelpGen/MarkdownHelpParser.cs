using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HttpSysPS.HelpGen;

/// <summary>
/// Reads one cmdlet help file in the platyPS 0.14 Markdown schema (2.0.0): YAML front matter, <c># Verb-Noun</c>,
/// then the <c>##</c> sections platyPS writes. Anything the MAML could not faithfully carry — a missing section,
/// an unfilled <c>{{ ... }}</c> placeholder, a parameter without its YAML block — is a <see cref="HelpFormatException"/>
/// rather than silently thinner help.
/// </summary>
public static partial class MarkdownHelpParser
{
    /// <summary>The name PowerShell gives the only parameter set of a cmdlet that declares none.</summary>
    public const string AllParameterSets = "__AllParameterSets";

    private static readonly string[] KnownSections =
        ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS"];

    // NOTES and RELATED LINKS may be absent; platyPS always writes the others.
    private static readonly string[] RequiredSections =
        ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS"];

    private static readonly string[] KnownYamlKeys =
    [
        "Type", "Parameter Sets", "Aliases", "Accepted values", "Required", "Position", "Default value",
        "Accept pipeline input", "Accept wildcard characters", "Applicable",
    ];

    /// <summary>Reads and parses <paramref name="path"/>; the title must equal the file name without <c>.md</c>.</summary>
    public static CommandHelp ParseFile(string path) =>
        Parse(path, File.ReadAllText(path), Path.GetFileNameWithoutExtension(path));

    /// <summary>
    /// Parses Markdown <paramref name="text"/>; <paramref name="file"/> is used in error messages only.
    /// When <paramref name="expectedName"/> is given, the <c># Title</c> must equal it.
    /// </summary>
    public static CommandHelp Parse(string file, string text, string? expectedName = null)
    {
        var lines = text.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var index = 0;
        var frontMatter = ReadFrontMatter(file, lines, ref index);

        string? title = null;
        var titleLine = 0;
        var sections = new Dictionary<string, Section>(StringComparer.Ordinal);
        Section? current = null;
        int? openFence = null;
        var heading = "front matter";
        for (; index < lines.Length; index++)
        {
            var line = lines[index];
            var number = index + 1;
            if (IsFence(line))
            {
                openFence = openFence is null ? number : null;
            }
            else if (openFence is null && line.StartsWith("# ", StringComparison.Ordinal))
            {
                if (title is not null)
                {
                    throw new HelpFormatException(file, number, $"# {title}", $"a second title '{line.Trim()}'; a help file describes one cmdlet");
                }

                title = line[2..].Trim();
                titleLine = number;
                heading = $"# {title}";
                continue;
            }
            else if (openFence is null && line.StartsWith("## ", StringComparison.Ordinal))
            {
                var name = line[3..].Trim();
                heading = $"## {name}";
                var known = KnownSections.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
                if (known is null)
                {
                    throw new HelpFormatException(file, number, heading, $"unknown section; platyPS sections are {string.Join(", ", KnownSections.Select(k => "## " + k))}");
                }

                if (title is null)
                {
                    throw new HelpFormatException(file, number, heading, "section before the '# Verb-Noun' title");
                }

                if (sections.ContainsKey(known))
                {
                    throw new HelpFormatException(file, number, heading, "the section appears twice");
                }

                current = new Section(known, number);
                sections.Add(known, current);
                continue;
            }

            if (current is not null)
            {
                current.Lines.Add(new Line(number, line));
            }
            else if (line.Trim().Length > 0)
            {
                throw new HelpFormatException(file, number, heading, $"text outside any '## SECTION': '{Shorten(line)}'");
            }
        }

        if (openFence is not null)
        {
            throw new HelpFormatException(file, openFence.Value, heading, "a ``` code block is never closed");
        }

        if (title is null)
        {
            throw new HelpFormatException(file, 0, "# Verb-Noun", "missing the '# Verb-Noun' title line");
        }

        var titleHeading = $"# {title}";
        if (!VerbNoun().IsMatch(title))
        {
            throw new HelpFormatException(file, titleLine, titleHeading, "the title must be a cmdlet name of the form Verb-Noun");
        }

        if (expectedName is not null && !string.Equals(title, expectedName, StringComparison.Ordinal))
        {
            throw new HelpFormatException(file, titleLine, titleHeading, $"the title must equal the file name '{expectedName}'");
        }

        foreach (var required in RequiredSections)
        {
            if (!sections.ContainsKey(required))
            {
                throw new HelpFormatException(file, titleLine, titleHeading, $"missing the '## {required}' section");
            }
        }

        var reader = new SectionReader(file);
        var synopsis = reader.Paragraphs(sections["SYNOPSIS"], allowSubheadings: false);
        if (synopsis.Count == 0)
        {
            throw new HelpFormatException(file, sections["SYNOPSIS"].Line, "## SYNOPSIS", "the synopsis is empty");
        }

        var description = reader.Paragraphs(sections["DESCRIPTION"], allowSubheadings: true);
        if (description.Count == 0)
        {
            throw new HelpFormatException(file, sections["DESCRIPTION"].Line, "## DESCRIPTION", "the description is empty");
        }

        var (sets, defaultSet) = reader.Syntax(sections["SYNTAX"]);
        var examples = reader.Examples(sections["EXAMPLES"]);
        var parameters = reader.Parameters(sections["PARAMETERS"], sets);
        var inputs = reader.Types(sections["INPUTS"]);
        var outputs = reader.Types(sections["OUTPUTS"]);
        var notes = sections.TryGetValue("NOTES", out var notesSection) ? reader.Paragraphs(notesSection, allowSubheadings: true) : [];
        var links = sections.TryGetValue("RELATED LINKS", out var linksSection) ? reader.Links(linksSection) : [];

        return new CommandHelp(title, frontMatter, synopsis, description, sets, defaultSet, examples, parameters, inputs, outputs, notes, links);
    }

    private static Dictionary<string, string> ReadFrontMatter(string file, string[] lines, ref int index)
    {
        const string Heading = "front matter";
        while (index < lines.Length && lines[index].Trim().Length == 0)
        {
            index++;
        }

        if (index >= lines.Length || lines[index].Trim() != "---")
        {
            throw new HelpFormatException(file, Math.Min(index + 1, lines.Length), Heading, "the file must start with the platyPS YAML front matter ('---' lines around 'external help file:', 'Module Name:', 'schema: 2.0.0')");
        }

        var start = index + 1;
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (index++; index < lines.Length; index++)
        {
            var line = lines[index];
            if (line.Trim() == "---")
            {
                index++;
                return result;
            }

            if (line.Trim().Length == 0)
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new HelpFormatException(file, index + 1, Heading, $"expected 'key: value', found '{Shorten(line)}'");
            }

            result[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        throw new HelpFormatException(file, start, Heading, "the front matter is never closed with '---'");
    }

    internal static bool IsFence(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal);
    }

    internal static string Shorten(string text)
    {
        var trimmed = text.Trim();
        return trimmed.Length <= 60 ? trimmed : trimmed[..57] + "...";
    }

    [GeneratedRegex(@"^[A-Za-z]+-[A-Za-z][A-Za-z0-9]*$", RegexOptions.CultureInvariant)]
    private static partial Regex VerbNoun();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    internal static partial Regex ParameterName();

    [GeneratedRegex(@"^\[(?<text>[^\]]*)\]\((?<uri>[^)\s]*)\)$", RegexOptions.CultureInvariant)]
    internal static partial Regex MarkdownLink();

    [GeneratedRegex(@"\{\{.*\}\}", RegexOptions.CultureInvariant)]
    internal static partial Regex Placeholder();

    internal sealed record Line(int Number, string Text);

    internal sealed class Section(string name, int line)
    {
        public string Name { get; } = name;

        public int Line { get; } = line;

        public List<Line> Lines { get; } = [];

        public string Heading => $"## {Name}";
    }

    /// <summary>A piece of a section: text line, fenced block, or <c>###</c> sub-heading.</summary>
    internal sealed record Item(int Line, string? Text, string? FenceInfo, string? Code, string? Subheading);

    private sealed class SectionReader(string file)
    {
        public List<string> Paragraphs(Section section, bool allowSubheadings)
        {
            var items = Items(section);
            if (!allowSubheadings && items.FirstOrDefault(i => i.Subheading is not null) is { } sub)
            {
                throw new HelpFormatException(file, sub.Line, section.Heading, $"unexpected sub-heading '### {sub.Subheading}'");
            }

            return ToParagraphs(items, section.Heading);
        }

        public (List<string> Sets, string? Default) Syntax(Section section)
        {
            var (preamble, subsections) = Split(section);
            var sets = new List<string>();
            string? defaultSet = null;
            var preambleFences = preamble.Count(i => i.Code is not null);
            if (subsections.Count == 0)
            {
                if (preambleFences == 0)
                {
                    throw new HelpFormatException(file, section.Line, section.Heading, "no ``` code block with the cmdlet's syntax");
                }

                sets.Add(AllParameterSets);
                return (sets, null);
            }

            if (preamble.Any(i => i.Code is not null || !string.IsNullOrWhiteSpace(i.Text)))
            {
                throw new HelpFormatException(file, preamble.First(i => i.Code is not null || !string.IsNullOrWhiteSpace(i.Text)).Line, section.Heading, "text before the first '### ParameterSetName' heading");
            }

            foreach (var (head, body) in subsections)
            {
                var heading = $"### {head.Subheading}";
                var name = head.Subheading!;
                if (name.EndsWith("(Default)", StringComparison.OrdinalIgnoreCase))
                {
                    name = name[..^"(Default)".Length].Trim();
                    if (defaultSet is not null)
                    {
                        throw new HelpFormatException(file, head.Line, heading, $"a second '(Default)' parameter set; '{defaultSet}' is already the default");
                    }

                    defaultSet = name;
                }

                if (name.Length == 0)
                {
                    throw new HelpFormatException(file, head.Line, heading, "empty parameter set name");
                }

                if (sets.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    throw new HelpFormatException(file, head.Line, heading, "the parameter set appears twice");
                }

                if (!body.Any(i => i.Code is not null))
                {
                    throw new HelpFormatException(file, head.Line, heading, "no ``` code block with the syntax of this parameter set");
                }

                sets.Add(name);
            }

            return (sets, defaultSet);
        }

        public List<ExampleHelp> Examples(Section section)
        {
            var (preamble, subsections) = Split(section);
            RejectPreamble(section, preamble, "### Example 1");
            if (subsections.Count == 0)
            {
                throw new HelpFormatException(file, section.Line, section.Heading, "no example; write at least one '### Example 1: ...' with a ```powershell code block");
            }

            var result = new List<ExampleHelp>();
            foreach (var (head, body) in subsections)
            {
                var heading = $"### {head.Subheading}";
                var code = body.Where(i => i.Code is not null).Select(i => i.Code!).ToList();
                if (code.Count == 0 || code.All(c => c.Trim().Length == 0))
                {
                    throw new HelpFormatException(file, head.Line, heading, "the example has no ``` code block");
                }

                var remarks = ToParagraphs(body.Where(i => i.Code is null).ToList(), heading);
                result.Add(new ExampleHelp(head.Subheading!, string.Join("\n\n", code), remarks));
            }

            return result;
        }

        public List<ParameterHelp> Parameters(Section section, IReadOnlyList<string> sets)
        {
            var (preamble, subsections) = Split(section);
            RejectPreamble(section, preamble, "### -ParameterName");
            var result = new List<ParameterHelp>();
            foreach (var (head, body) in subsections)
            {
                var heading = $"### {head.Subheading}";
                var title = head.Subheading!;
                if (title is "CommonParameters" or "WorkflowCommonParameters")
                {
                    continue;
                }

                if (!title.StartsWith('-') || !ParameterName().IsMatch(title[1..]))
                {
                    throw new HelpFormatException(file, head.Line, heading, "a parameter heading must be '### -Name' (or '### CommonParameters')");
                }

                var name = title[1..];
                if (result.Any(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new HelpFormatException(file, head.Line, heading, "the parameter is documented twice");
                }

                var firstFence = body.FindIndex(i => i.Code is not null);
                if (firstFence < 0)
                {
                    throw new HelpFormatException(file, head.Line, heading, "no ```yaml block with Type, Parameter Sets, Required and Position");
                }

                var description = ToParagraphs(body.Take(firstFence).ToList(), heading);
                if (description.Count == 0)
                {
                    throw new HelpFormatException(file, head.Line, heading, "the parameter has no description");
                }

                var blocks = new List<ParameterSetHelp>();
                foreach (var item in body.Skip(firstFence))
                {
                    if (item.Code is null)
                    {
                        if (!string.IsNullOrWhiteSpace(item.Text))
                        {
                            throw new HelpFormatException(file, item.Line, heading, $"text after the yaml block: '{Shorten(item.Text)}'; put the description before it");
                        }

                        continue;
                    }

                    if (!string.Equals(item.FenceInfo, "yaml", StringComparison.OrdinalIgnoreCase))
                    {
                        throw new HelpFormatException(file, item.Line, heading, $"expected a ```yaml block, found ```{item.FenceInfo}");
                    }

                    blocks.Add(Yaml(item, heading, sets, blocks));
                }

                result.Add(new ParameterHelp(name, description, blocks));
            }

            return result;
        }

        private ParameterSetHelp Yaml(Item block, string heading, IReadOnlyList<string> sets, List<ParameterSetHelp> earlier)
        {
            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var lineNumber = block.Line;
            foreach (var raw in block.Code!.Split('\n'))
            {
                lineNumber++;
                if (raw.Trim().Length == 0)
                {
                    continue;
                }

                var colon = raw.IndexOf(':', StringComparison.Ordinal);
                var key = colon > 0 ? raw[..colon].Trim() : string.Empty;
                var known = KnownYamlKeys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
                if (known is null)
                {
                    throw new HelpFormatException(file, lineNumber, heading, $"unknown yaml line '{Shorten(raw)}'; expected one of {string.Join(", ", KnownYamlKeys.Select(k => k + ":"))}");
                }

                if (!fields.TryAdd(known, raw[(colon + 1)..].Trim()))
                {
                    throw new HelpFormatException(file, lineNumber, heading, $"'{known}:' appears twice in one yaml block");
                }
            }

            string Field(string key) =>
                fields.TryGetValue(key, out var value) && value.Length > 0
                    ? value
                    : throw new HelpFormatException(file, block.Line, heading, $"the yaml block has no '{key}:' value");

            bool Boolean(string key, string value) =>
                bool.TryParse(value, out var result)
                    ? result
                    : throw new HelpFormatException(file, block.Line, heading, $"'{key}: {value}' must be True or False");

            var type = Field("Type");
            if (earlier.Count > 0 && !string.Equals(earlier[0].Type, type, StringComparison.Ordinal))
            {
                throw new HelpFormatException(file, block.Line, heading, $"'Type: {type}' differs from 'Type: {earlier[0].Type}' in the first yaml block");
            }

            var setText = Field("Parameter Sets");
            var allSets = string.Equals(setText, "(All)", StringComparison.OrdinalIgnoreCase);
            var named = allSets ? [] : List(setText);
            foreach (var set in named)
            {
                if (!sets.Contains(set, StringComparer.OrdinalIgnoreCase))
                {
                    throw new HelpFormatException(file, block.Line, heading, $"parameter set '{set}' is not one of the '## SYNTAX' sets ({string.Join(", ", sets)})");
                }

                if (earlier.Any(b => b.AllSets || b.ParameterSets.Contains(set, StringComparer.OrdinalIgnoreCase)))
                {
                    throw new HelpFormatException(file, block.Line, heading, $"parameter set '{set}' is covered by two yaml blocks");
                }
            }

            if (allSets && earlier.Count > 0)
            {
                throw new HelpFormatException(file, block.Line, heading, "'Parameter Sets: (All)' in a second yaml block");
            }

            var positionText = Field("Position");
            int? position = null;
            if (!string.Equals(positionText, "Named", StringComparison.OrdinalIgnoreCase))
            {
                position = int.TryParse(positionText, NumberStyles.None, CultureInfo.InvariantCulture, out var p)
                    ? p
                    : throw new HelpFormatException(file, block.Line, heading, $"'Position: {positionText}' must be Named or a number from 0");
            }

            var pipeline = fields.TryGetValue("Accept pipeline input", out var pipelineText) && pipelineText.Length > 0 ? pipelineText : "False";
            if (!pipeline.StartsWith("True", StringComparison.OrdinalIgnoreCase) && !pipeline.StartsWith("False", StringComparison.OrdinalIgnoreCase))
            {
                throw new HelpFormatException(file, block.Line, heading, $"'Accept pipeline input: {pipeline}' must start with True or False");
            }

            var globbing = fields.TryGetValue("Accept wildcard characters", out var globText) && globText.Length > 0 && Boolean("Accept wildcard characters", globText);
            return new ParameterSetHelp(
                type,
                named,
                allSets,
                fields.TryGetValue("Aliases", out var aliases) ? List(aliases) : [],
                fields.TryGetValue("Accepted values", out var accepted) ? List(accepted) : [],
                Boolean("Required", Field("Required")),
                position,
                fields.TryGetValue("Default value", out var defaultValue) && defaultValue.Length > 0 ? defaultValue : "None",
                pipeline,
                globbing);
        }

        public List<TypeHelp> Types(Section section)
        {
            var (preamble, subsections) = Split(section);
            RejectPreamble(section, preamble, "### TypeName");
            if (subsections.Count == 0)
            {
                throw new HelpFormatException(file, section.Line, section.Heading, "no '### TypeName' entry (write '### None' when there is none)");
            }

            return subsections
                .Select(s => new TypeHelp(s.Head.Subheading!, ToParagraphs(s.Body, $"### {s.Head.Subheading}")))
                .ToList();
        }

        public List<LinkHelp> Links(Section section)
        {
            var result = new List<LinkHelp>();
            foreach (var item in Items(section))
            {
                if (item.Code is not null || item.Subheading is not null)
                {
                    throw new HelpFormatException(file, item.Line, section.Heading, "related links are lines of '[text](uri)' or plain text");
                }

                var text = item.Text!.Trim().TrimStart('-', '*').Trim();
                if (text.Length == 0)
                {
                    continue;
                }

                RejectPlaceholder(item.Line, section.Heading, text);
                var match = MarkdownLink().Match(text);
                result.Add(match.Success ? new LinkHelp(match.Groups["text"].Value, match.Groups["uri"].Value) : new LinkHelp(text, string.Empty));
            }

            return result;
        }

        private void RejectPreamble(Section section, List<Item> preamble, string expected)
        {
            var stray = preamble.FirstOrDefault(i => i.Code is not null || !string.IsNullOrWhiteSpace(i.Text));
            if (stray is not null)
            {
                throw new HelpFormatException(file, stray.Line, section.Heading, $"content before the first '{expected}' heading");
            }
        }

        private static (List<Item> Preamble, List<(Item Head, List<Item> Body)> Subsections) Split(Section section)
        {
            var items = Items(section);
            var preamble = new List<Item>();
            var subsections = new List<(Item, List<Item>)>();
            foreach (var item in items)
            {
                if (item.Subheading is not null)
                {
                    subsections.Add((item, []));
                }
                else if (subsections.Count == 0)
                {
                    preamble.Add(item);
                }
                else
                {
                    subsections[^1].Item2.Add(item);
                }
            }

            return (preamble, subsections);
        }

        private static List<Item> Items(Section section)
        {
            var items = new List<Item>();
            for (var i = 0; i < section.Lines.Count; i++)
            {
                var line = section.Lines[i];
                if (IsFence(line.Text))
                {
                    var info = line.Text.Trim()[3..].Trim();
                    var code = new StringBuilder();
                    for (i++; i < section.Lines.Count && !IsFence(section.Lines[i].Text); i++)
                    {
                        code.Append(section.Lines[i].Text).Append('\n');
                    }

                    items.Add(new Item(line.Number, null, info, code.ToString().TrimEnd('\n'), null));
                }
                else if (line.Text.StartsWith("### ", StringComparison.Ordinal))
                {
                    items.Add(new Item(line.Number, null, null, null, line.Text[4..].Trim()));
                }
                else
                {
                    items.Add(new Item(line.Number, line.Text, null, null, null));
                }
            }

            return items;
        }

        // Lines of one paragraph are joined with a space, as Markdown renders them; list items and code keep their lines.
        private List<string> ToParagraphs(List<Item> items, string heading)
        {
            var paragraphs = new List<string>();
            var current = new StringBuilder();
            void Flush()
            {
                if (current.Length > 0)
                {
                    paragraphs.Add(current.ToString());
                    current.Clear();
                }
            }

            foreach (var item in items)
            {
                if (item.Code is not null)
                {
                    Flush();
                    paragraphs.Add(item.Code);
                    continue;
                }

                var text = item.Subheading ?? item.Text!;
                RejectPlaceholder(item.Line, heading, text);
                var trimmed = text.Trim();
                if (trimmed.Length == 0 || item.Subheading is not null)
                {
                    Flush();
                    if (item.Subheading is not null)
                    {
                        paragraphs.Add(trimmed);
                    }

                    continue;
                }

                var listItem = trimmed.StartsWith("- ", StringComparison.Ordinal) || trimmed.StartsWith("* ", StringComparison.Ordinal)
                    || (trimmed.Length > 2 && char.IsAsciiDigit(trimmed[0]) && trimmed.Contains(". ", StringComparison.Ordinal) && trimmed.IndexOf(". ", StringComparison.Ordinal) <= 3);
                if (current.Length > 0)
                {
                    current.Append(listItem ? '\n' : ' ');
                }

                current.Append(trimmed);
            }

            Flush();
            return paragraphs;
        }

        private void RejectPlaceholder(int line, string heading, string text)
        {
            if (Placeholder().IsMatch(text))
            {
                throw new HelpFormatException(file, line, heading, $"unfilled platyPS placeholder '{Shorten(text)}'");
            }
        }

        private static List<string> List(string text) =>
            text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
