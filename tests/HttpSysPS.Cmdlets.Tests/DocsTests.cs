using HttpSysPS.Cmdlets.Tests.Infrastructure;
using HttpSysPS.HelpGen;

namespace HttpSysPS.Cmdlets.Tests;

/// <summary>docs/cmdlets documents exactly the cmdlets in the assembly, each parameter with its real type and sets.</summary>
public class DocsTests
{
    public static TheoryData<string> Cmdlets => CmdletConventionTests.Cmdlets;

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Cmdlet_has_a_doc_that_documents_every_parameter(string name)
    {
        var path = Path.Combine(TestPaths.DocsDir, name + ".md");
        Assert.True(File.Exists(path), $"{name} has no help: write docs/cmdlets/{name}.md (platyPS Markdown, see docs/module.md)");
        var help = MarkdownHelpParser.ParseFile(path);
        Problems.AssertNone(DocRules.Compare(CmdletAssemblyReader.ModuleCmdlet(name), help), $"docs/cmdlets/{name}.md");
    }

    [Fact]
    public void Every_doc_is_well_formed_and_names_a_cmdlet_of_the_assembly()
    {
        var names = CmdletAssemblyReader.ModuleCmdlets.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var docs = Directory.Exists(TestPaths.DocsDir) ? Directory.GetFiles(TestPaths.DocsDir) : [];
        var problems = new List<string>();
        foreach (var doc in docs)
        {
            var file = Path.GetFileName(doc);
            if (!file.EndsWith(".md", StringComparison.Ordinal))
            {
                problems.Add($"{file}: docs/cmdlets holds only Verb-Noun.md files");
                continue;
            }

            if (!names.Contains(Path.GetFileNameWithoutExtension(doc)))
            {
                problems.Add($"{file} documents a cmdlet the assembly does not have");
            }

            try
            {
                MarkdownHelpParser.ParseFile(doc);
            }
            catch (HelpFormatException e)
            {
                problems.Add(e.Message);
            }
        }

        Problems.AssertNone(problems, "docs/cmdlets");
    }
}
