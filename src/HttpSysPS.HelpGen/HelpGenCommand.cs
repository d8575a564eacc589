namespace HttpSysPS.HelpGen;

/// <summary>
/// <c>HttpSysPS.HelpGen --docs DIR --out FILE</c>: every <c>DIR/*.md</c> becomes one <c>command:command</c> in FILE.
/// Errors are printed in MSBuild's canonical form (<c>file(line): error HELPGEN001: ...</c>) so the build shows them
/// as errors at the right place; on any error FILE is deleted, so an incremental build cannot keep stale help.
/// </summary>
public static class HelpGenCommand
{
    /// <summary>Runs the generator; returns the process exit code (0 success, 1 malformed docs, 2 bad usage).</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr)
    {
        string? docs = null;
        string? output = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--docs" when i + 1 < args.Count:
                    docs = args[++i];
                    break;
                case "--out" when i + 1 < args.Count:
                    output = args[++i];
                    break;
                default:
                    stderr.WriteLine($"error HELPGEN000: unexpected argument '{args[i]}'. Usage: HttpSysPS.HelpGen --docs <dir with Verb-Noun.md files> --out <path/HttpSysPS.Cmdlets.dll-Help.xml>");
                    return 2;
            }
        }

        if (docs is null || output is null)
        {
            stderr.WriteLine("error HELPGEN000: both --docs and --out are required. Usage: HttpSysPS.HelpGen --docs <dir> --out <file>");
            return 2;
        }

        // Before any cmdlet is documented the folder may not exist yet: that is empty help, not a broken build.
        // (tests/HttpSysPS.Cmdlets.Tests fails when a cmdlet has no doc, so nothing slips through.)
        if (!Directory.Exists(docs))
        {
            stdout.WriteLine($"HttpSysPS.HelpGen: the docs folder '{docs}' does not exist; writing help with no commands.");
        }

        var helpFileName = Path.GetFileName(output);
        var commands = new List<CommandHelp>();
        var failed = false;
        IEnumerable<string> files = Directory.Exists(docs) ? Directory.EnumerateFiles(docs, "*.md").Order(StringComparer.Ordinal) : [];
        foreach (var path in files)
        {
            try
            {
                var help = MarkdownHelpParser.ParseFile(path);
                // platyPS groups commands into MAML files by this field; a different value means the doc was written for another file.
                if (help.FrontMatter.TryGetValue("external help file", out var declared) && declared.Length > 0
                    && !string.Equals(declared, helpFileName, StringComparison.OrdinalIgnoreCase))
                {
                    throw new HelpFormatException(path, 1, "front matter", $"'external help file: {declared}' must be '{helpFileName}'");
                }

                commands.Add(help);
            }
            catch (HelpFormatException e)
            {
                stderr.WriteLine($"{e.File}({e.Line}): error HELPGEN001: under '{e.Heading}': {e.Problem}");
                failed = true;
            }
        }

        if (failed)
        {
            if (File.Exists(output))
            {
                File.Delete(output);
            }

            return 1;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        var temp = output + ".tmp";
        MamlWriter.Save(MamlWriter.Build(commands), temp);
        File.Move(temp, output, overwrite: true);
        stdout.WriteLine($"HttpSysPS.HelpGen: {commands.Count} command(s) from {docs} -> {output}");
        return 0;
    }
}
