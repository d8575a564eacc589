using System.Management.Automation;
using HttpSysPS.PowerShell.Tests.Infrastructure;

namespace HttpSysPS.PowerShell.Tests;

/// <summary>Tab completion of live listener names for -Name (HttpSysPS.psm1's completer), through TabExpansion2 as a console calls it.</summary>
public sealed class ListenerCompletionTests : IDisposable
{
    private readonly ModuleSession _session = new();
    private readonly OwnedListeners _listeners;
    private readonly string _stem = ModuleSession.UniqueName("tab");

    public ListenerCompletionTests()
    {
        _listeners = new OwnedListeners(_session);
        foreach (var suffix in new[] { "abd", "ab c", "ab'q", "other" })
        {
            var result = _session.Run(
                "New-HttpSysListener -UrlPrefix 'http://localhost:0/' -StaticRoot $args[0] -Name $args[1]",
                TestPaths.SampleSite,
                _listeners.Own($"{_stem}-{suffix}"));
            Assert.Empty(result.Errors);
        }
    }

    public void Dispose()
    {
        _listeners.Dispose();
        _session.Dispose();
    }

    [Theory]
    [InlineData("Start-HttpSysListener -Name ")]
    [InlineData("Stop-HttpSysListener -Name ")]
    [InlineData("Get-HttpSysListener -Name ")]
    [InlineData("Remove-HttpSysListener -Name ")]
    [InlineData("Wait-HttpSysListener -Name ")]
    [InlineData("Stop-HttpSysListener ")]
    [InlineData("Get-HttpSysListener -Name other, ")]
    [InlineData("Get-HttpSysRequestQueue -Name ")]
    [InlineData("Get-HttpSysResponseCache -Name ")]
    [InlineData("Clear-HttpSysResponseCache -Name ")]
    [InlineData("Get-HttpSysWebSocket -Name ")]
    [InlineData("Send-HttpSysWebSocketMessage -Message x -Name ")]
    public void Name_completes_to_the_listeners_starting_with_the_word_and_quotes_what_needs_it(string command)
    {
        var completions = Complete(command + _stem + "-ab");

        Assert.Equal([$"'{_stem}-ab c'", $"'{_stem}-ab''q'", $"{_stem}-abd"], completions.Select(c => c.CompletionText));
        Assert.Equal([$"{_stem}-ab c", $"{_stem}-ab'q", $"{_stem}-abd"], completions.Select(c => c.ListItemText));
        Assert.All(completions, c => Assert.Equal(CompletionResultType.ParameterValue, c.ResultType));
    }

    [Fact]
    public void A_name_with_wildcard_characters_completes_escaped_and_finds_only_itself()
    {
        var bracketed = _listeners.Own(_stem + "-w[1]");
        var plain = _listeners.Own(_stem + "-w1");
        foreach (var name in new[] { bracketed, plain })
        {
            Assert.Empty(_session.Run("New-HttpSysListener -UrlPrefix 'http://localhost:0/' -StaticRoot $args[0] -Name $args[1]", TestPaths.SampleSite, name).Errors);
        }

        var completions = Complete($"Stop-HttpSysListener -Name {_stem}-w").Select(c => c.CompletionText).ToArray();

        Assert.Equal([$"'{_stem}-w`[1`]'", $"{_stem}-w1"], completions);
        Assert.Equal([bracketed], _session.Run($"(Get-HttpSysListener -Name {completions[0]}).Name").Output.Select(o => (string)o.BaseObject));
    }

    [Fact]
    public void A_word_typed_in_quotes_completes_too()
    {
        Assert.Equal([$"'{_stem}-ab c'"], Complete($"Stop-HttpSysListener -Name '{_stem}-ab ").Select(c => c.CompletionText));
    }

    [Fact]
    public void Listeners_created_after_the_import_are_offered_and_removed_ones_are_not()
    {
        var late = _listeners.Own(_stem + "-late");
        Assert.Empty(Complete($"Stop-HttpSysListener -Name {_stem}-la"));
        Assert.Empty(_session.Run("New-HttpSysListener -UrlPrefix 'http://localhost:0/' -StaticRoot $args[0] -Name $args[1]", TestPaths.SampleSite, late).Errors);
        Assert.Equal([late], Complete($"Stop-HttpSysListener -Name {_stem}-la").Select(c => c.CompletionText));

        Assert.Empty(_session.Run("Remove-HttpSysListener -Name $args[0]", late).Errors);
        Assert.Empty(Complete($"Stop-HttpSysListener -Name {_stem}-la"));
    }

    [Fact]
    public void Every_completed_name_runs_as_typed_and_finds_its_listener()
    {
        var line = $"Get-HttpSysListener -Name {_stem}-";
        var completions = Complete(line);
        Assert.Equal(4, completions.Length);
        foreach (var completion in completions)
        {
            var result = _session.Run($"Get-HttpSysListener -Name {completion.CompletionText}");
            Assert.Empty(result.Errors);
            Assert.Equal(completion.ListItemText, Assert.Single(result.Output).Get<string>("Name"));
        }
    }

    private CompletionResult[] Complete(string line) =>
        [.. _session.Run("(TabExpansion2 -inputScript $args[0] -cursorColumn $args[0].Length).CompletionMatches", line).Output.Select(o => (CompletionResult)o.BaseObject)];
}
