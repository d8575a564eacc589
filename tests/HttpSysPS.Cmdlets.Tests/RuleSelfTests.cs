using HttpSysPS.Cmdlets.Tests.Infrastructure;
using HttpSysPS.HelpGen;

namespace HttpSysPS.Cmdlets.Tests;

/// <summary>
/// The checks run over tests/fixtures/FixtureCmdlets: silent on the correct cmdlets, and each reports the violation
/// planted in a broken one. Without these a check that can never fail would look like a passing test.
/// </summary>
public class RuleSelfTests
{
    [Theory]
    [InlineData("Get-Widget")]
    [InlineData("Remove-Widget")]
    [InlineData("Set-Widget")]
    [InlineData("New-GoodListener")]
    public void Correct_cmdlets_pass_every_rule(string name)
    {
        var cmdlet = CmdletAssemblyReader.FixtureCmdlet(name);
        Problems.AssertNone(
            CmdletRules.Naming(cmdlet).Concat(CmdletRules.OutputType(cmdlet)).Concat(CmdletRules.ShouldProcess(cmdlet)).Concat(CmdletRules.ParameterSets(cmdlet)),
            name);
    }

    [Theory]
    [InlineData("Fetch-Gadget", "Naming", "'Fetch' is not an approved")]
    [InlineData("Get-Gizmo", "Naming", "GizmoGetter should be named GetGizmoCommand")]
    [InlineData("ForgottenCommand", "Naming", "has no [Cmdlet(verb, noun)]")]
    [InlineData("Get-Gizmo", "OutputType", "declares no [OutputType]")]
    [InlineData("Remove-Gadget", "ShouldProcess", "does not declare SupportsShouldProcess")]
    [InlineData("Set-Gadget", "ShouldProcess", "without a -PassThru")]
    [InlineData("Clear-Gadget", "ShouldProcess", "ConfirmImpact.None")]
    [InlineData("Clear-Gadget", "ShouldProcess", "must be Medium or High")]
    [InlineData("Set-Gadget", "ParameterSets", "A and B have the same mandatory parameters (Id)")]
    [InlineData("Set-Gadget", "ParameterSets", "-Id and -Color share position 0")]
    [InlineData("Set-Gadget", "ParameterSets", "no DefaultParameterSetName")]
    [InlineData("New-BadListener", "ExactlyOneOf", "set Both has -ScriptBlock, -StaticRoot")]
    [InlineData("New-BadListener", "ExactlyOneOf", "-ScriptBlock must be mandatory in its parameter set Loose")]
    [InlineData("New-BadListener", "ExactlyOneOf", "has no -HandlerAssembly parameter")]
    public void Broken_cmdlet_is_reported(string name, string rule, string expected)
    {
        var cmdlet = CmdletAssemblyReader.FixtureCmdlet(name);
        var problems = rule switch
        {
            "Naming" => CmdletRules.Naming(cmdlet),
            "OutputType" => CmdletRules.OutputType(cmdlet),
            "ShouldProcess" => CmdletRules.ShouldProcess(cmdlet),
            "ParameterSets" => CmdletRules.ParameterSets(cmdlet),
            "ExactlyOneOf" => CmdletRules.ExactlyOneOf(cmdlet, "ScriptBlock", "HandlerAssembly", "StaticRoot"),
            _ => throw new ArgumentOutOfRangeException(nameof(rule)),
        };
        Problems.AssertReported(problems, expected);
    }

    [Fact]
    public void Exactly_one_of_passes_on_a_correct_listener() =>
        Problems.AssertNone(CmdletRules.ExactlyOneOf(CmdletAssemblyReader.FixtureCmdlet("New-GoodListener"), "ScriptBlock", "HandlerAssembly", "StaticRoot"), "New-GoodListener");

    [Fact]
    public void Pipeline_binding_by_property_name_passes_when_Get_output_has_the_property() =>
        Problems.AssertNone(CmdletRules.PipelineFrom(CmdletAssemblyReader.FixtureCmdlet("Get-Widget"), CmdletAssemblyReader.FixtureCmdlet("Remove-Widget")), "Get-Widget | Remove-Widget");

    [Theory]
    [InlineData("Remove-Gadget", "-Name mandatory but not bound")]
    [InlineData("Stop-Gadget", "-Label mandatory but not bound")]
    public void Pipeline_binding_failure_is_reported(string consumer, string expected) =>
        Problems.AssertReported(CmdletRules.PipelineFrom(CmdletAssemblyReader.FixtureCmdlet("Get-Gadget"), CmdletAssemblyReader.FixtureCmdlet(consumer)), expected);

    [Fact]
    public void Reader_finds_parameters_declared_on_a_base_class()
    {
        var cmdlet = CmdletAssemblyReader.FixtureCmdlet("Set-Widget");
        Assert.Contains(cmdlet.Parameters, p => p.Name == "ConfigPath");
        Assert.Equal(["ByName", "ByObject"], cmdlet.ParameterSets.Order());
    }

    [Fact]
    public void Reader_reads_cmdlet_and_parameter_metadata()
    {
        var cmdlet = CmdletAssemblyReader.FixtureCmdlet("Remove-Widget");
        Assert.True(cmdlet.SupportsShouldProcess);
        Assert.Equal(3, cmdlet.ConfirmImpact);
        Assert.Equal("FixtureCmdlets.Good.Widget", Assert.Single(cmdlet.OutputTypes).FullName);
        var name = Assert.Single(cmdlet.Parameters, p => p.Name == "Name");
        var attribute = Assert.Single(name.Attributes);
        Assert.True(attribute.Mandatory);
        Assert.True(attribute.ValueFromPipelineByPropertyName);
        Assert.Equal(0, attribute.Position);
        Assert.Contains("String", name.DocTypeNames);
    }

    [Fact]
    public void A_doc_matching_the_cmdlet_passes() =>
        Problems.AssertNone(DocRules.Compare(CmdletAssemblyReader.FixtureCmdlet("Set-Widget"), MarkdownHelpParser.Parse("Set-Widget.md", SampleDoc.SetWidget)), "Set-Widget.md");

    [Theory]
    [InlineData("Type: Int32", "Type: String", "### -Size: 'Type: String' does not match System.Int32")]
    [InlineData("### -PassThru", "### -PassThroo", "-PassThru (System.Management.Automation.SwitchParameter) is not documented")]
    [InlineData("### -PassThru", "### -PassThroo", "### -PassThroo is documented but Set-Widget has no such parameter")]
    [InlineData("Parameter Sets: ByName", "Parameter Sets: ByObject", "### -Name: documented in parameter set ByObject")]
    [InlineData("Required: True\nPosition: 0", "Required: False\nPosition: 0", "### -Name: 'Required: False' in set ByName, the cmdlet says Mandatory = True")]
    [InlineData("Required: True\nPosition: 0", "Required: True\nPosition: 1", "### -Name: 'Position: 1' in set ByName, the cmdlet says 0")]
    [InlineData("### ByName (Default)", "### ByName", "marks 'no set' as (Default)")]
    public void A_doc_that_disagrees_with_the_cmdlet_is_reported(string from, string to, string expected)
    {
        var text = SampleDoc.SetWidget.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(SampleDoc.SetWidget, text);
        var help = MarkdownHelpParser.Parse("Set-Widget.md", text);
        Problems.AssertReported(DocRules.Compare(CmdletAssemblyReader.FixtureCmdlet("Set-Widget"), help), expected);
    }

    [Fact]
    public void A_doc_for_another_cmdlet_is_reported_by_title_and_parameter_sets()
    {
        var problems = DocRules.Compare(CmdletAssemblyReader.FixtureCmdlet("Get-Widget"), MarkdownHelpParser.Parse("Set-Widget.md", SampleDoc.SetWidget));
        Problems.AssertReported(problems, "the doc's title is '# Set-Widget', the cmdlet is Get-Widget");
        Problems.AssertReported(problems, "## SYNTAX lists parameter sets [ByName, ByObject], the cmdlet has [__AllParameterSets]");
    }
}
