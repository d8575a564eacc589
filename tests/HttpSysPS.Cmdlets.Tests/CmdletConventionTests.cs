using HttpSysPS.Cmdlets.Tests.Infrastructure;

namespace HttpSysPS.Cmdlets.Tests;

/// <summary>The house conventions, checked per cmdlet of the staged HttpSysPS.Cmdlets.dll (each failure names the cmdlet).</summary>
public class CmdletConventionTests
{
    // Never empty: xunit's "No data found" would hide the reason, so an empty assembly yields one failing case.
    public static TheoryData<string> Cmdlets =>
        new(CmdletAssemblyReader.ModuleCmdlets.Count == 0 ? [CmdletAssemblyReader.NoCmdlets] : CmdletAssemblyReader.ModuleCmdlets.Select(c => c.Name));

    public static TheoryData<string, string> GetConsumerPairs
    {
        get
        {
            var cmdlets = CmdletAssemblyReader.ModuleCmdlets;
            var pairs = new TheoryData<string, string>();
            foreach (var consumer in cmdlets.Where(c => c.Verb is not null && CmdletRules.PipelineFedVerbs.Contains(c.Verb)))
            {
                var getter = cmdlets.FirstOrDefault(c => c.Verb == "Get" && c.Noun == consumer.Noun);
                if (getter is not null)
                {
                    pairs.Add(getter.Name, consumer.Name);
                }
            }

            // Never empty: issue 4 requires Get-UrlReservation | Remove-UrlReservation, so its absence is the failure.
            if (pairs.Count == 0)
            {
                pairs.Add("Get-UrlReservation", "Remove-UrlReservation");
            }

            return pairs;
        }
    }

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Cmdlet_has_Cmdlet_attribute_approved_verb_and_VerbNounCommand_class(string name) =>
        Problems.AssertNone(CmdletRules.Naming(CmdletAssemblyReader.ModuleCmdlet(name)), name);

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Cmdlet_declares_OutputType(string name) =>
        Problems.AssertNone(CmdletRules.OutputType(CmdletAssemblyReader.ModuleCmdlet(name)), name);

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Mutators_support_ShouldProcess_with_sensible_ConfirmImpact_and_setters_PassThru(string name) =>
        Problems.AssertNone(CmdletRules.ShouldProcess(CmdletAssemblyReader.ModuleCmdlet(name)), name);

    [Theory]
    [MemberData(nameof(Cmdlets))]
    public void Parameter_sets_are_unambiguous(string name) =>
        Problems.AssertNone(CmdletRules.ParameterSets(CmdletAssemblyReader.ModuleCmdlet(name)), name);

    [Theory]
    [MemberData(nameof(GetConsumerPairs))]
    public void Get_output_pipes_into_Remove_and_Stop_by_property_name(string getter, string consumer) =>
        Problems.AssertNone(
            CmdletRules.PipelineFrom(CmdletAssemblyReader.ModuleCmdlet(getter), CmdletAssemblyReader.ModuleCmdlet(consumer)),
            $"{getter} | {consumer}");

    [Fact]
    public void Assembly_has_no_cmdlet_class_without_Cmdlet_attribute()
    {
        var bare = CmdletAssemblyReader.ModuleCmdlets.Where(c => c.Verb is null).Select(c => c.ClassName).ToList();
        Assert.True(bare.Count == 0, $"classes deriving from Cmdlet without [Cmdlet]: {string.Join(", ", bare)}");
    }

    // Absent cmdlet = failure here too (ModuleCmdlet throws), not a skip: the listener issue requires it.
    [Fact]
    public void New_HttpSysListener_takes_exactly_one_of_ScriptBlock_HandlerAssembly_StaticRoot_per_set()
    {
        var cmdlet = CmdletAssemblyReader.ModuleCmdlet("New-HttpSysListener");

        // The WebSocketScriptBlock set is a scriptblock listener whose -ScriptBlock is optional (WebSockets only, or
        // both): there -WebSocketScriptBlock is the one mandatory handler, and it is in no other set.
        var problems = CmdletRules.ExactlyOneOf(cmdlet, "ScriptBlock", "HandlerAssembly", "StaticRoot")
            .Where(p => !p.Contains("parameter set WebSocketScriptBlock", StringComparison.Ordinal)).ToList();
        var webSocketSet = cmdlet.ParametersIn("WebSocketScriptBlock").ToList();
        if (!webSocketSet.Any(p => p.Parameter.Name == "WebSocketScriptBlock" && p.Attribute.Mandatory)
            || webSocketSet.Any(p => p.Parameter.Name is "HandlerAssembly" or "StaticRoot" || (p.Parameter.Name == "ScriptBlock" && p.Attribute.Mandatory)))
        {
            problems.Add("parameter set WebSocketScriptBlock must have -WebSocketScriptBlock mandatory, -ScriptBlock optional, and no other handler");
        }

        if (cmdlet.ParameterSets.Any(set => set != "WebSocketScriptBlock" && cmdlet.ParametersIn(set).Any(p => p.Parameter.Name == "WebSocketScriptBlock")))
        {
            problems.Add("-WebSocketScriptBlock must be in the WebSocketScriptBlock set only");
        }
        foreach (var set in cmdlet.ParameterSets)
        {
            var urlPrefix = cmdlet.Parameters.FirstOrDefault(p => p.Name == "UrlPrefix")?.In(set);
            if (urlPrefix is null || !urlPrefix.Mandatory)
            {
                problems.Add($"-UrlPrefix must be mandatory in parameter set {set}");
            }

            var hasAssembly = cmdlet.ParametersIn(set).Any(p => p.Parameter.Name == "HandlerAssembly");
            var handlerType = cmdlet.ParametersIn(set).FirstOrDefault(p => p.Parameter.Name == "HandlerType");
            if (hasAssembly != (handlerType.Parameter is not null && handlerType.Attribute.Mandatory))
            {
                problems.Add($"parameter set {set}: -HandlerType must be mandatory exactly where -HandlerAssembly is");
            }
        }

        if (cmdlet.Parameters.FirstOrDefault(p => p.Name == "UrlPrefix") is { } prefix && prefix.TypeFullName != "System.String[]")
        {
            problems.Add($"-UrlPrefix is {prefix.TypeFullName}, expected String[]");
        }

        Problems.AssertNone(problems, cmdlet.Name);
    }
}
