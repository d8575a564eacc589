using HttpSysPS.Cmdlets.Tests.Infrastructure;

namespace HttpSysPS.Cmdlets.Tests;

/// <summary>The listener cmdlets' own surface (issue 6), beyond the house rules every cmdlet is checked against.</summary>
public class ListenerCmdletTests
{
    private const string ListenerInfo = "HttpSysPS.Cmdlets.Hosting.HttpSysListenerInfo";

    // Start and Wait are not in CmdletRules.PipelineFedVerbs, and Get-HttpSysRequestQueue has another noun, but all of
    // them take Get-HttpSysListener's output: Get-HttpSysListener | Start-HttpSysListener.
    [Theory]
    [InlineData("Start-HttpSysListener")]
    [InlineData("Stop-HttpSysListener")]
    [InlineData("Remove-HttpSysListener")]
    [InlineData("Wait-HttpSysListener")]
    [InlineData("Get-HttpSysRequestQueue")]
    public void Takes_Get_HttpSysListener_output_from_the_pipeline(string consumer) =>
        Problems.AssertNone(
            CmdletRules.PipelineFrom(CmdletAssemblyReader.ModuleCmdlet("Get-HttpSysListener"), CmdletAssemblyReader.ModuleCmdlet(consumer)),
            $"Get-HttpSysListener | {consumer}");

    [Theory]
    [InlineData("New-HttpSysListener", ListenerInfo)]
    [InlineData("Start-HttpSysListener", ListenerInfo)]
    [InlineData("Stop-HttpSysListener", ListenerInfo)]
    [InlineData("Get-HttpSysListener", ListenerInfo)]
    [InlineData("Wait-HttpSysListener", ListenerInfo)]
    [InlineData("Remove-HttpSysListener", "System.Void")]
    [InlineData("Get-HttpSysRequestQueue", "HttpSysPS.Engine.Queues.RequestQueueStatistics")]
    public void Declares_its_output_type(string name, string outputType) =>
        Assert.Equal([outputType], CmdletAssemblyReader.ModuleCmdlet(name).OutputTypes.Select(o => o.FullName));

    [Fact]
    public void Listener_output_has_the_properties_the_issue_names()
    {
        var info = CmdletAssemblyReader.ModuleCmdlet("Get-HttpSysListener").OutputTypes.Single();
        foreach (var property in new[] { "Name", "State", "HandlerKind", "UrlPrefix", "BoundUrl", "RequestQueue" })
        {
            Assert.Contains(property, info.Properties);
        }
    }

    [Theory]
    [InlineData("InitializationScript")]
    [InlineData("Variable")]
    [InlineData("ImportModule")]
    [InlineData("IncludeErrorDetail")]
    public void Runspace_parameters_exist_only_with_ScriptBlock(string parameter)
    {
        // The runspace pool's parameters: in the sets of the scriptblock handlers (HTTP, and WebSocket messages).
        var cmdlet = CmdletAssemblyReader.ModuleCmdlet("New-HttpSysListener");
        var sets = cmdlet.ParameterSets.Where(s => cmdlet.ParametersIn(s).Any(p => p.Parameter.Name == parameter)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["ScriptBlock", "WebSocketScriptBlock"], sets);
    }

    [Theory]
    [InlineData("Name")]
    [InlineData("RequestQueueName")]
    [InlineData("RequestQueueLimit")]
    [InlineData("MaxConnections")]
    [InlineData("MaxRequestBodySize")]
    [InlineData("ThrottleLimit")]
    [InlineData("Timeout")]
    [InlineData("Start")]
    [InlineData("WebSocketMaxMessageSize")]
    [InlineData("WebSocketKeepAliveInterval")]
    [InlineData("WebSocketIdleTimeout")]
    [InlineData("WebSocketCloseTimeout")]
    [InlineData("WebSocketCompression")]
    public void Listener_settings_apply_to_every_handler_kind(string parameter)
    {
        var cmdlet = CmdletAssemblyReader.ModuleCmdlet("New-HttpSysListener");
        Assert.All(cmdlet.ParameterSets, set => Assert.Contains(cmdlet.ParametersIn(set), p => p.Parameter.Name == parameter && !p.Attribute.Mandatory));
    }

    [Fact]
    public void The_scriptblock_set_is_the_default_and_takes_prefix_and_scriptblock_by_position()
    {
        var cmdlet = CmdletAssemblyReader.ModuleCmdlet("New-HttpSysListener");
        Assert.Equal("ScriptBlock", cmdlet.DefaultParameterSetName);
        var positional = cmdlet.ParametersIn("ScriptBlock").Where(p => p.Attribute.Position is not null).ToDictionary(p => p.Parameter.Name, p => p.Attribute.Position);
        Assert.Equal(new Dictionary<string, int?> { ["UrlPrefix"] = 0, ["ScriptBlock"] = 1 }, positional);
    }

    [Theory]
    [InlineData("Stop-HttpSysListener")]
    [InlineData("Remove-HttpSysListener")]
    public void Stopping_takes_a_grace_period_in_seconds(string name)
    {
        var timeout = CmdletAssemblyReader.ModuleCmdlet(name).Parameters.Single(p => p.Name == "Timeout");
        Assert.Equal("System.Int32", timeout.TypeFullName);
    }

    [Fact]
    public void Remove_has_Force_for_the_module_OnRemove()
    {
        var force = CmdletAssemblyReader.ModuleCmdlet("Remove-HttpSysListener").Parameters.Single(p => p.Name == "Force");
        Assert.Equal("System.Management.Automation.SwitchParameter", force.TypeFullName);
    }
}
