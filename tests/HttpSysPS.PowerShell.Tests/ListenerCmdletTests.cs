using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using HttpSysPS.PowerShell.Tests.Infrastructure;

namespace HttpSysPS.PowerShell.Tests;

/// <summary>
/// The listener cmdlets as a user's session runs them: parameter binding, the pipeline by property name, -WhatIf and
/// -Confirm, and the ErrorIds scripts match on. Every listener is on http://localhost:0/ with a name of its own.
/// </summary>
public sealed class ListenerCmdletTests : IDisposable
{
    private const string Hello = "HelloHandler.HelloHandler";

    private readonly TestHost _host = new();
    private readonly ModuleSession _session;
    private readonly OwnedListeners _listeners;

    public ListenerCmdletTests()
    {
        _session = new ModuleSession(_host);
        _listeners = new OwnedListeners(_session);
    }

    public void Dispose()
    {
        _listeners.Dispose();
        _session.Dispose();
    }

    [Fact]
    public async Task New_with_StaticRoot_and_Start_serves_the_site_on_the_bound_port()
    {
        var name = _listeners.Name("static");
        var result = _session.Run("New-HttpSysListener -UrlPrefix 'http://localhost:0/site/' -StaticRoot $args[0] -Name $args[1] -Start", TestPaths.SampleSite, name);

        Assert.Empty(result.Errors);
        var listener = Assert.Single(result.Output);
        Assert.Equal("HttpSysPS.Cmdlets.Hosting.HttpSysListenerInfo", listener.BaseObject.GetType().FullName);
        Assert.Equal(name, listener.Get<string>("Name"));
        Assert.Equal("Started", listener.Get<string>("State"));
        Assert.Equal("StaticFiles", listener.Get<string>("HandlerKind"));
        Assert.Equal(["http://localhost:0/site/"], listener.Strings("UrlPrefix"));
        var bound = Assert.Single(listener.Strings("BoundUrl"));
        Assert.NotEqual(0, Http.Port(bound));
        Assert.Equal($"http://localhost:{Http.Port(bound)}/site/", bound);

        var (status, body) = await Http.GetAsync(bound);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(TestPaths.SampleSite, "index.html")), body);
    }

    [Fact]
    public async Task New_with_LogDirectory_writes_the_W3C_access_log_which_Remove_flushes()
    {
        var name = _listeners.Name("logged");
        var logs = Directory.CreateTempSubdirectory("httpsysps-w3c-");
        try
        {
            var listener = Assert.Single(_session.Run(
                "New-HttpSysListener -UrlPrefix 'http://localhost:0/site/' -StaticRoot $args[0] -Name $args[1] -LogDirectory $args[2] -LogField cs-method, cs-uri-stem, sc-status -LogRollover size:1M -Start",
                TestPaths.SampleSite, name, logs.FullName).Output);
            var (status, _) = await Http.GetAsync(Assert.Single(listener.Strings("BoundUrl")) + "index.html");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Empty(_session.Run("Remove-HttpSysListener -Name $args[0] -Confirm:$false", name).Errors);

            var lines = File.ReadAllLines(Path.Combine(logs.FullName, "u_ex1.log"));
            Assert.Equal("#Fields: cs-method cs-uri-stem sc-status", lines[3]);
            Assert.Equal("GET /site/index.html 200", Assert.Single(lines.Skip(4)));
        }
        finally
        {
            logs.Delete(recursive: true);
        }
    }

    [Fact]
    public void New_with_a_bad_LogRollover_fails_naming_it_and_creates_nothing()
    {
        var name = _listeners.Name("badlog");
        var result = _session.Run("New-HttpSysListener -UrlPrefix 'http://localhost:0/' -StaticRoot $args[0] -Name $args[1] -LogDirectory $args[0] -LogRollover hourly", TestPaths.SampleSite, name);

        Assert.Contains("'hourly' is not a log rollover", Assert.Single(result.Errors).Exception.Message);
        Assert.Empty(_session.Run("Get-HttpSysListener -Name $args[0] -ErrorAction SilentlyContinue", name).Output);
    }

    [Fact]
    public void New_binds_UrlPrefix_and_ScriptBlock_by_position_and_creates_a_stopped_listener()
    {
        var name = _listeners.Name("positional");
        var listener = Assert.Single(_session.Run("New-HttpSysListener 'http://localhost:0/' { 'hi' } -Name $args[0]", name).Output);

        Assert.Equal("Created", listener.Get<string>("State"));
        Assert.Equal("ScriptBlock", listener.Get<string>("HandlerKind"));
        Assert.Empty(listener.Strings("BoundUrl"));
        Assert.Equal(name, Assert.Single(_session.Run("Get-HttpSysListener $args[0]", name).Output).Get<string>("Name"));
    }

    [Fact]
    public async Task Get_piped_to_Stop_Start_Get_queue_and_Remove_binds_the_name_by_property()
    {
        var name = _listeners.Name("piped");
        var first = NewHello(name);
        var firstUrl = first.Strings("BoundUrl")[0];
        Assert.Equal("Hello, World!", (await Http.GetAsync(firstUrl)).Body);

        var stopped = Assert.Single(Ok("Get-HttpSysListener -Name $args[0] | Stop-HttpSysListener -Timeout 5 -PassThru", name));
        Assert.Equal("Stopped", stopped.Get<string>("State"));
        Assert.Empty(stopped.Strings("BoundUrl"));
        Assert.True(await Http.IsRefusedAsync(firstUrl));

        var started = Assert.Single(Ok("Get-HttpSysListener -Name $args[0] | Start-HttpSysListener -PassThru", name));
        Assert.Equal("Started", started.Get<string>("State"));
        var url = Assert.Single(started.Strings("BoundUrl"));
        Assert.Equal("Hello, World!", (await Http.GetAsync(url)).Body);

        // Completed counts every request the handler finished, across the stop and start.
        var queue = Assert.Single(Ok("Get-HttpSysListener -Name $args[0] | Get-HttpSysRequestQueue", name));
        Assert.Equal("HttpSysPS.Engine.Queues.RequestQueueStatistics", queue.BaseObject.GetType().FullName);
        Assert.Equal(name, queue.Get<string>("Name"));
        Assert.Equal(2, queue.Get<long>("Completed"));

        Assert.Empty(Ok("Get-HttpSysListener -Name $args[0] | Remove-HttpSysListener", name));
        var gone = _session.Run("Get-HttpSysListener -Name $args[0]", name);
        Assert.Empty(gone.Output);
        Assert.Equal("NotFound,HttpSysPS.Cmdlets.GetHttpSysListenerCommand", Assert.Single(gone.Errors).FullyQualifiedErrorId);
        Assert.True(await Http.IsRefusedAsync(url));
    }

    [Fact]
    public void The_pipeline_binds_Name_from_any_object_and_carries_every_listener_a_wildcard_finds()
    {
        var stem = ModuleSession.UniqueName("many");
        var a = _listeners.Own(stem + "-a");
        var b = _listeners.Own(stem + "-b");
        NewHello(a);
        NewHello(b);

        var one = Assert.Single(Ok("[pscustomobject]@{ Name = $args[0]; Other = 1 } | Stop-HttpSysListener -Timeout 0 -PassThru", a));
        Assert.Equal(a, one.Get<string>("Name"));
        Assert.Equal("Stopped", one.Get<string>("State"));

        var both = Ok("Get-HttpSysListener -Name ($args[0] + '-*') | Stop-HttpSysListener -Timeout 0 -PassThru", stem);
        Assert.Equal([a, b], both.Select(l => l.Get<string>("Name")));
        Assert.All(both, l => Assert.Equal("Stopped", l.Get<string>("State")));

        // Wait-HttpSysListener takes the pipeline too and returns at once for listeners that are stopped.
        var waited = Ok("Get-HttpSysListener -Name ($args[0] + '-*') | Wait-HttpSysListener -PassThru", stem);
        Assert.Equal([a, b], waited.Select(l => l.Get<string>("Name")));

        var queues = Ok("Get-HttpSysListener -Name ($args[0] + '-*') | Get-HttpSysRequestQueue", stem);
        Assert.Equal([a, b], queues.Select(q => q.Get<string>("Name")));

        Assert.Empty(Ok("Get-HttpSysListener -Name ($args[0] + '-*') | Remove-HttpSysListener -Force", stem));
        Assert.Empty(Ok("Get-HttpSysListener -Name ($args[0] + '-*')", stem));
    }

    [Fact]
    public async Task WhatIf_changes_nothing_and_says_what_it_would_do()
    {
        var created = _listeners.Name("whatif");
        var url = NewHello(created).Strings("BoundUrl")[0];
        var other = _listeners.Name("whatifnew");

        _host.Clear();
        Assert.Empty(Ok("New-HttpSysListener -UrlPrefix 'http://localhost:0/w/' -StaticRoot $args[0] -Name $args[1] -Start -WhatIf", TestPaths.SampleSite, other));
        Assert.Empty(Ok("Stop-HttpSysListener -Name $args[0] -WhatIf", created));
        Assert.Empty(Ok("Remove-HttpSysListener -Name $args[0] -WhatIf", created));

        Assert.Equal(
            [
                $"What if: Performing the operation \"Create listener '{other}' and start it\" on target \"http://localhost:0/w/\".",
                $"What if: Performing the operation \"Stop listener (in-flight requests get 30 s)\" on target \"{created}\".",
                $"What if: Performing the operation \"Remove listener\" on target \"{created}\".",
            ],
            HostLines());
        Assert.Empty(_session.Run("Get-HttpSysListener -Name $args[0] -ErrorAction SilentlyContinue", other).Output);
        var still = Assert.Single(Ok("Get-HttpSysListener -Name $args[0]", created));
        Assert.Equal("Started", still.Get<string>("State"));
        Assert.Equal("Hello, World!", (await Http.GetAsync(url)).Body);

        Ok("Stop-HttpSysListener -Name $args[0] -Timeout 0", created);
        _host.Clear();
        Assert.Empty(Ok("Start-HttpSysListener -Name $args[0] -PassThru -WhatIf", created));
        Assert.Equal([$"What if: Performing the operation \"Start listener\" on target \"{created}\"."], HostLines());
        Assert.Equal("Stopped", Assert.Single(Ok("Get-HttpSysListener -Name $args[0]", created)).Get<string>("State"));
    }

    [Fact]
    public void Confirm_asks_per_listener_and_No_keeps_it()
    {
        var stem = ModuleSession.UniqueName("confirm");
        var a = _listeners.Own(stem + "-a");
        var b = _listeners.Own(stem + "-b");
        NewHello(a, start: false);
        NewHello(b, start: false);

        _host.Answer("No");
        _host.Answer("Yes");
        Assert.Empty(Ok("Remove-HttpSysListener -Name ($args[0] + '-*') -Confirm", stem));
        Assert.Equal(2, _host.Prompts.Count);
        Assert.Contains(a, _host.Prompts[0]);
        Assert.Contains(b, _host.Prompts[1]);
        Assert.Equal([a], Ok("Get-HttpSysListener -Name ($args[0] + '-*')", stem).Select(l => l.Get<string>("Name")));
    }

    [Fact]
    public void Confirm_Yes_to_All_asks_once_for_several_listeners()
    {
        var stem = ModuleSession.UniqueName("yesall");
        _listeners.Own(stem + "-a");
        _listeners.Own(stem + "-b");
        NewHello(stem + "-a", start: false);
        NewHello(stem + "-b", start: false);

        _host.Answer("Yes to All");
        Assert.Empty(Ok("Get-HttpSysListener -Name ($args[0] + '-*') | Remove-HttpSysListener -Confirm", stem));
        Assert.Single(_host.Prompts);
        Assert.Empty(Ok("Get-HttpSysListener -Name ($args[0] + '-*')", stem));
    }

    [Fact]
    public void ConfirmPreference_at_the_cmdlets_impact_asks_and_Confirm_false_does_not()
    {
        var name = _listeners.Name("confpref");

        // New-HttpSysListener is ConfirmImpact Low: $ConfirmPreference = 'Low' makes it ask; "No" creates nothing.
        _host.Answer("No");
        Assert.Empty(Ok("& { $ConfirmPreference = 'Low'; New-HttpSysListener -UrlPrefix 'http://localhost:0/' -StaticRoot $args[0] -Name $args[1] } @args", TestPaths.SampleSite, name));
        Assert.Single(_host.Prompts);
        Assert.Empty(_session.Run("Get-HttpSysListener -Name $args[0] -ErrorAction SilentlyContinue", name).Output);

        // -Confirm:$false wins over the preference: no prompt (the test host would throw on one).
        var created = Ok("& { $ConfirmPreference = 'Low'; New-HttpSysListener -UrlPrefix 'http://localhost:0/' -StaticRoot $args[0] -Name $args[1] -Start -Confirm:$false } @args", TestPaths.SampleSite, name);
        Assert.Equal("Started", Assert.Single(created).Get<string>("State"));
        Assert.Equal("Stopped", Assert.Single(Ok("& { $ConfirmPreference = 'Medium'; Stop-HttpSysListener -Name $args[0] -Timeout 0 -PassThru -Confirm:$false } @args", name)).Get<string>("State"));

        // Remove is ConfirmImpact Medium: the default preference (High) does not ask.
        Assert.Empty(Ok("Remove-HttpSysListener -Name $args[0]", name));
        Assert.Single(_host.Prompts);
        Assert.Empty(_session.Run("Get-HttpSysListener -Name $args[0] -ErrorAction SilentlyContinue", name).Output);
    }

    [Theory]
    [InlineData("Get-HttpSysListener", "GetHttpSysListenerCommand")]
    [InlineData("Start-HttpSysListener", "StartHttpSysListenerCommand")]
    [InlineData("Stop-HttpSysListener", "StopHttpSysListenerCommand")]
    [InlineData("Remove-HttpSysListener", "RemoveHttpSysListenerCommand")]
    [InlineData("Wait-HttpSysListener", "WaitHttpSysListenerCommand")]
    [InlineData("Get-HttpSysRequestQueue", "GetHttpSysRequestQueueCommand")]
    public void A_missing_name_is_a_NotFound_error_about_that_name(string command, string cmdletClass)
    {
        var missing = ModuleSession.UniqueName("missing");
        var result = _session.Run($"{command} -Name $args[0]", missing);

        Assert.Empty(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.Equal($"NotFound,HttpSysPS.Cmdlets.{cmdletClass}", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal(missing, error.TargetObject);
        Assert.Contains(missing, error.ToString());

        // A wildcard that matches nothing is not an error (as Get-Process does it).
        var wildcard = _session.Run($"{command} -Name ($args[0] + '*')", missing);
        Assert.Empty(wildcard.Errors);
        Assert.Empty(wildcard.Output);
    }

    [Fact]
    public void A_missing_name_does_not_stop_the_others_and_ErrorAction_Stop_makes_it_terminating()
    {
        var name = _listeners.Name("partial");
        NewHello(name);
        var missing = ModuleSession.UniqueName("missing");

        var result = _session.Run("Stop-HttpSysListener -Name $args[0], $args[1] -Timeout 0 -PassThru", missing, name);
        Assert.Equal(name, Assert.Single(result.Output).Get<string>("Name"));
        Assert.Equal("NotFound,HttpSysPS.Cmdlets.StopHttpSysListenerCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);

        var thrown = Assert.ThrowsAny<RuntimeException>(() => _session.Run("Get-HttpSysListener -Name $args[0] -ErrorAction Stop", missing));
        Assert.Equal("NotFound,HttpSysPS.Cmdlets.GetHttpSysListenerCommand", thrown.ErrorRecord.FullyQualifiedErrorId);
    }

    [Fact]
    public void A_second_listener_with_the_same_name_in_any_case_is_AlreadyExists_and_the_first_is_untouched()
    {
        var name = _listeners.Name("twice");
        NewHello(name, start: false);

        var result = _session.Run(
            "New-HttpSysListener -UrlPrefix 'http://localhost:0/other/' -StaticRoot $args[0] -Name $args[1].ToUpperInvariant()",
            TestPaths.SampleSite,
            name);

        Assert.Empty(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.Equal("AlreadyExists,HttpSysPS.Cmdlets.NewHttpSysListenerCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ResourceExists, error.CategoryInfo.Category);
        var first = Assert.Single(Ok("Get-HttpSysListener -Name $args[0]", name));
        Assert.Equal("Compiled", first.Get<string>("HandlerKind"));
        Assert.Equal(["http://localhost:0/"], first.Strings("UrlPrefix"));
    }

    [Theory]
    [InlineData("htp:/bad", "missing scheme separator")]
    [InlineData("ftp://localhost:0/", "unsupported scheme 'ftp'")]
    [InlineData("http://localhost:abc/", "port 'abc' is not a decimal number")]
    [InlineData("http://localhost:99999/", "port '99999' is out of range")]
    [InlineData("http:///", "empty host")]
    [InlineData("http://localhost:0/a b/", "not allowed in a URL prefix")]
    public void A_malformed_prefix_is_MalformedPrefix_and_creates_nothing(string prefix, string message)
    {
        var name = _listeners.Name("malformed");
        var result = _session.Run("New-HttpSysListener -UrlPrefix $args[0] -StaticRoot $args[1] -Name $args[2] -Start", prefix, TestPaths.SampleSite, name);

        Assert.Empty(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.Equal("MalformedPrefix,HttpSysPS.Cmdlets.NewHttpSysListenerCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Contains(message, error.ToString());
        Assert.Empty(_session.Run("Get-HttpSysListener -Name $args[0] -ErrorAction SilentlyContinue", name).Output);
    }

    [Theory]
    [InlineData("-StaticRoot $args[1] -Timeout @{ Bogus = 1 }", "InvalidArgument", "'Bogus' is not a timer")]
    [InlineData("-StaticRoot $args[1] -MaxConnections 0", "InvalidArgument", "MaxConnections must be -1 (unlimited) or at least 1")]
    [InlineData("-StaticRoot (Join-Path $args[1] 'no-such-dir')", "NotFound", "does not exist")]
    [InlineData("-HandlerAssembly $args[2] -HandlerType 'No.Such.Type'", "HandlerLoadFailed", "'No.Such.Type' was not found")]
    [InlineData("-HandlerAssembly (Join-Path $args[1] 'missing.dll') -HandlerType 'X'", "HandlerLoadFailed", "does not exist")]
    public void Invalid_settings_and_handlers_have_their_own_ErrorIds_and_create_nothing(string parameters, string errorId, string message)
    {
        var name = _listeners.Name("invalid");
        var result = _session.Run($"New-HttpSysListener -UrlPrefix 'http://localhost:0/' -Name $args[0] {parameters}", name, TestPaths.SampleSite, TestPaths.HelloHandler);

        Assert.Empty(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.Equal($"{errorId},HttpSysPS.Cmdlets.NewHttpSysListenerCommand", error.FullyQualifiedErrorId);
        Assert.Equal(name, error.TargetObject);
        Assert.Contains(message, error.ToString());
        Assert.Empty(_session.Run("Get-HttpSysListener -Name $args[0] -ErrorAction SilentlyContinue", name).Output);
    }

    [Fact]
    public void Starting_a_started_listener_is_InvalidState()
    {
        var name = _listeners.Name("started");
        NewHello(name);

        var error = Assert.Single(_session.Run("Start-HttpSysListener -Name $args[0]", name).Errors);
        Assert.Equal("InvalidState,HttpSysPS.Cmdlets.StartHttpSysListenerCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
    }

    [Fact]
    public async Task A_prefix_another_listener_registered_is_PrefixConflict_and_New_Start_leaves_nothing_behind()
    {
        var owner = _listeners.Name("owner");
        var url = NewHello(owner).Strings("BoundUrl")[0];
        var created = _listeners.Name("second");
        var started = _listeners.Name("third");

        // Created: prefixes are registered at start, so the conflict shows there.
        NewHello(created, start: false, prefix: url);
        var error = Assert.Single(_session.Run("Start-HttpSysListener -Name $args[0]", created).Errors);
        Assert.Equal("PrefixConflict,HttpSysPS.Cmdlets.StartHttpSysListenerCommand", error.FullyQualifiedErrorId);
        Assert.Equal("Created", Assert.Single(Ok("Get-HttpSysListener -Name $args[0]", created)).Get<string>("State"));

        var result = _session.Run("New-HttpSysListener -UrlPrefix $args[0] -StaticRoot $args[1] -Name $args[2] -Start", url, TestPaths.SampleSite, started);
        Assert.Equal("PrefixConflict,HttpSysPS.Cmdlets.NewHttpSysListenerCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
        Assert.Empty(result.Output);
        Assert.Empty(_session.Run("Get-HttpSysListener -Name $args[0] -ErrorAction SilentlyContinue", started).Output);
        Assert.Equal("Hello, World!", (await Http.GetAsync(url)).Body);
    }

    [Fact]
    public void A_port_another_process_holds_is_PortInUse_and_New_Start_leaves_nothing_behind()
    {
        var name = _listeners.Name("busy");
        var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        try
        {
            var port = ((IPEndPoint)holder.LocalEndpoint).Port;
            var result = _session.Run("New-HttpSysListener -UrlPrefix $args[0] -StaticRoot $args[1] -Name $args[2] -Start", $"http://localhost:{port}/", TestPaths.SampleSite, name);

            Assert.Empty(result.Output);
            var error = Assert.Single(result.Errors);
            Assert.Equal("PortInUse,HttpSysPS.Cmdlets.NewHttpSysListenerCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceBusy, error.CategoryInfo.Category);
            Assert.Contains(port.ToString(), error.ToString());
            Assert.Empty(_session.Run("Get-HttpSysListener -Name $args[0] -ErrorAction SilentlyContinue", name).Output);
        }
        finally
        {
            holder.Stop();
        }
    }

    [Theory]
    [InlineData("New-HttpSysListener -UrlPrefix 'http://localhost:0/' -StaticRoot . -ScriptBlock { 1 }", "AmbiguousParameterSet,HttpSysPS.Cmdlets.NewHttpSysListenerCommand")]
    [InlineData("New-HttpSysListener -UrlPrefix 'http://localhost:0/' -HandlerAssembly x.dll -HandlerType T -StaticRoot .", "AmbiguousParameterSet,HttpSysPS.Cmdlets.NewHttpSysListenerCommand")]
    [InlineData("Stop-HttpSysListener -Name x -Timeout -1", "ParameterArgumentValidationError,HttpSysPS.Cmdlets.StopHttpSysListenerCommand")]
    [InlineData("New-HttpSysListener -UrlPrefix @() -StaticRoot .", "ParameterArgumentValidationError,HttpSysPS.Cmdlets.NewHttpSysListenerCommand")]
    [InlineData("New-HttpSysListener -UrlPrefix 'http://localhost:0/' -StaticRoot . -ThrottleLimit 0", "ParameterArgumentValidationError,HttpSysPS.Cmdlets.NewHttpSysListenerCommand")]
    [InlineData("Get-HttpSysListener -Name ''", "ParameterArgumentValidationError,HttpSysPS.Cmdlets.GetHttpSysListenerCommand")]
    public void Binding_errors_stop_the_command_with_PowerShells_ErrorIds(string script, string errorId)
    {
        // A binding error ends the statement (nothing runs, nothing is created) and is reported on the error stream.
        var result = _session.Run(script);
        Assert.Empty(result.Output);
        Assert.Equal(errorId, Assert.Single(result.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public void A_missing_mandatory_parameter_without_a_UI_to_prompt_is_MissingMandatoryParameter()
    {
        // The SDK's default host has no UI, as a service or a scheduled job: PowerShell cannot ask for -HandlerType.
        using var plain = new ModuleSession();
        var result = plain.Run("New-HttpSysListener -UrlPrefix 'http://localhost:0/' -HandlerAssembly x.dll");
        Assert.Empty(result.Output);
        Assert.Equal("MissingMandatoryParameter,HttpSysPS.Cmdlets.NewHttpSysListenerCommand", Assert.Single(result.Errors).FullyQualifiedErrorId);
    }

    private PSObject NewHello(string name, bool start = true, string prefix = "http://localhost:0/")
    {
        var script = "New-HttpSysListener -UrlPrefix $args[0] -HandlerAssembly $args[1] -HandlerType $args[2] -Name $args[3]" + (start ? " -Start" : string.Empty);
        return Assert.Single(Ok(script, prefix, TestPaths.HelloHandler, Hello, name));
    }

    // Runs a script that must not write errors.
    private PSObject[] Ok(string script, params object?[] arguments)
    {
        var result = _session.Run(script, arguments);
        Assert.True(result.Errors.Length == 0, $"{script}: {string.Join(Environment.NewLine, result.Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}"))}");
        return [.. result.Output];
    }

    private string[] HostLines() => [.. _host.Lines.Select(l => l.TrimEnd()).Where(l => l.Length > 0)];
}

/// <summary>
/// Default names (Listener1, Listener2, ...) are process-wide, so these tests run alone: no other test may take one
/// between the name a -WhatIf shows and the New-HttpSysListener that follows.
/// </summary>
[Collection(nameof(SerialCollection))]
public sealed class DefaultListenerNameTests : IDisposable
{
    private readonly TestHost _host = new();
    private readonly ModuleSession _session;
    private readonly OwnedListeners _listeners;

    public DefaultListenerNameTests()
    {
        _session = new ModuleSession(_host);
        _listeners = new OwnedListeners(_session);
    }

    public void Dispose()
    {
        _listeners.Dispose();
        _session.Dispose();
    }

    [Fact]
    public void WhatIf_No_and_a_failed_New_leave_the_default_name_they_showed_for_the_next_New()
    {
        var shown = WhatIfName();
        Assert.Matches("^Listener[0-9]+$", shown);
        Assert.Equal(shown, WhatIfName());

        _host.Answer("No");
        Assert.Empty(_session.Run("& { $ConfirmPreference = 'Low'; New-HttpSysListener -UrlPrefix 'http://localhost:0/' -StaticRoot $args[0] } @args", TestPaths.SampleSite).Output);
        Assert.Contains($"'{shown}'", Assert.Single(_host.Prompts));

        var failed = _session.Run("New-HttpSysListener -UrlPrefix 'htp:/bad' -StaticRoot $args[0]", TestPaths.SampleSite);
        Assert.Equal("MalformedPrefix,HttpSysPS.Cmdlets.NewHttpSysListenerCommand", Assert.Single(failed.Errors).FullyQualifiedErrorId);
        Assert.Equal(shown, WhatIfName());

        var created = Assert.Single(_session.Run("New-HttpSysListener -UrlPrefix 'http://localhost:0/' -StaticRoot $args[0]", TestPaths.SampleSite).Output);
        Assert.Equal(shown, _listeners.Own(created.Get<string>("Name")));

        // Now it is taken; a default name someone gave explicitly is skipped too.
        var next = WhatIfName();
        Assert.Equal("Listener" + (Number(shown) + 1), next);
        _listeners.Own(next);
        Assert.Single(_session.Run("New-HttpSysListener -UrlPrefix 'http://localhost:0/' -StaticRoot $args[0] -Name $args[1]", TestPaths.SampleSite, next).Output);
        var after = WhatIfName();
        Assert.Equal("Listener" + (Number(shown) + 2), after);
        var last = Assert.Single(_session.Run("New-HttpSysListener -UrlPrefix 'http://localhost:0/' -StaticRoot $args[0]", TestPaths.SampleSite).Output);
        Assert.Equal(after, _listeners.Own(last.Get<string>("Name")));
    }

    private string WhatIfName()
    {
        _host.Clear();
        var result = _session.Run("New-HttpSysListener -UrlPrefix 'http://localhost:0/' -StaticRoot $args[0] -WhatIf", TestPaths.SampleSite);
        Assert.Empty(result.Output);
        Assert.Empty(result.Errors);
        var line = Assert.Single(_host.Lines, l => l.StartsWith("What if:", StringComparison.Ordinal));
        return System.Text.RegularExpressions.Regex.Match(line, "Create listener '(?<name>[^']+)'").Groups["name"].Value;
    }

    private static int Number(string defaultName) => int.Parse(defaultName["Listener".Length..], System.Globalization.CultureInfo.InvariantCulture);
}
