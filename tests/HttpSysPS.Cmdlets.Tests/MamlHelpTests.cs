using System.Xml.Linq;
using HttpSysPS.Cmdlets.Tests.Infrastructure;
using HttpSysPS.HelpGen;

namespace HttpSysPS.Cmdlets.Tests;

/// <summary>The generated en-US/HttpSysPS.Cmdlets.dll-Help.xml carries every cmdlet and parameter of the assembly.</summary>
public class MamlHelpTests
{
    private static readonly XNamespace Command = MamlWriter.Command;
    private static readonly XNamespace Maml = MamlWriter.Maml;
    private static readonly XNamespace Dev = MamlWriter.Dev;

    private static XDocument Help() => XDocument.Load(Path.Combine(TestPaths.ModuleDir, StagedModuleTests.HelpFile));

    private static string Name(XElement command) => command.Element(Command + "details")!.Element(Command + "name")!.Value;

    [Theory]
    [MemberData(nameof(CmdletConventionTests.Cmdlets), MemberType = typeof(CmdletConventionTests))]
    public void Help_has_the_cmdlet_with_synopsis_parameters_syntax_and_examples(string name)
    {
        var cmdlet = CmdletAssemblyReader.ModuleCmdlet(name);
        var command = Help().Root!.Elements(Command + "command").SingleOrDefault(c => Name(c) == name);
        Assert.True(command is not null, $"the MAML help has no command:command for {name} (is docs/cmdlets/{name}.md there?)");

        var problems = new List<string>();
        var synopsis = command.Element(Command + "details")!.Element(Maml + "description")?.Elements(Maml + "para").FirstOrDefault()?.Value;
        if (string.IsNullOrWhiteSpace(synopsis))
        {
            problems.Add("empty synopsis");
        }

        var documented = command.Element(Command + "parameters")!.Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        problems.AddRange(cmdlet.Parameters.Where(p => !documented.Contains(p.Name)).Select(p => $"parameter -{p.Name} missing from command:parameters"));

        var syntaxItems = command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();
        if (syntaxItems.Count != cmdlet.ParameterSets.Count)
        {
            problems.Add($"{syntaxItems.Count} syntax item(s) for {cmdlet.ParameterSets.Count} parameter set(s)");
        }

        var examples = command.Element(Command + "examples")!.Elements(Command + "example").ToList();
        if (examples.Count == 0 || examples.Any(e => string.IsNullOrWhiteSpace(e.Element(Dev + "code")?.Value)))
        {
            problems.Add("needs at least one example, each with code");
        }

        Problems.AssertNone(problems, $"MAML help of {name}");
    }

    [Fact]
    public void Help_has_no_command_the_assembly_lacks()
    {
        var names = CmdletAssemblyReader.ModuleCmdlets.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var extra = Help().Root!.Elements(Command + "command").Select(Name).Where(n => !names.Contains(n)).ToList();
        Assert.True(extra.Count == 0, $"help for cmdlets the assembly does not have: {string.Join(", ", extra)}");
    }
}
