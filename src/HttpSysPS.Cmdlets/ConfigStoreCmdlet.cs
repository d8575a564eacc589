using System.Management.Automation;
using HttpSysPS.Engine;
using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Cmdlets;

/// <summary>Base of the provisioning cmdlets: the <c>-ConfigPath</c> parameter, opening the store, and error mapping.</summary>
public abstract class ConfigStoreCmdlet : PSCmdlet
{
    /// <summary>The store file; default <c>$env:HTTPSYSPS_CONFIG</c>, else the machine store (see docs/provisioning.md).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ConfigPath { get; set; }

    /// <summary>Opens the store, resolving a PowerShell path (e.g. <c>TestDrive:\config.json</c>) to a file system path.</summary>
    protected ServiceConfigStore OpenStore() =>
        ServiceConfigStore.Open(ConfigPath is null ? null : GetUnresolvedProviderPathFromPSPath(ConfigPath));

    /// <summary>Resolves a PowerShell path argument to a file system path; null stays null.</summary>
    protected string? ResolvePath(string? path) => path is null ? null : GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>Runs <paramref name="action"/>, turning engine and I/O failures into non-terminating errors about <paramref name="target"/>.</summary>
    protected void Invoke(object? target, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (ErrorRecordFactory.IsMapped(e))
        {
            WriteError(ErrorRecordFactory.Create(e, target));
        }
    }

    /// <summary>
    /// The items matching <paramref name="values"/>, every item when null, as Get-Process filters by name. A value
    /// with wildcard characters is a case-insensitive pattern over <paramref name="text"/> (the normalised form);
    /// a value that parses (<paramref name="parse"/>, after unescaping) also matches the one item with exactly that
    /// key, because <c>[</c> of an IPv6 literal and the <c>*</c> host are wildcard characters too. A value without
    /// wildcards that matches nothing is a NotFound error, and one that does not parse is the parser's error; both
    /// are non-terminating, so the other values are still answered.
    /// </summary>
    internal List<T> Filter<T>(IEnumerable<T> items, string[]? values, Func<T, string> text, Func<string, Func<T, bool>> parse, string noun)
        where T : class
    {
        var all = items.ToList();
        if (values is null)
        {
            return all;
        }

        var found = new List<T>();
        foreach (var value in values)
        {
            var isPattern = WildcardPattern.ContainsWildcardCharacters(value);
            Func<T, bool>? exact = null;
            try
            {
                exact = parse(WildcardPattern.Unescape(value));
            }
            catch (Exception e) when (!isPattern && ErrorRecordFactory.IsMapped(e))
            {
                WriteError(ErrorRecordFactory.Create(e, value));
                continue;
            }
            catch (Exception e) when (ErrorRecordFactory.IsMapped(e))
            {
                // A pattern need not be a valid key ("http://+:80*/" is not a URL).
            }

            var pattern = isPattern ? WildcardPattern.Get(value, WildcardOptions.IgnoreCase) : null;
            var matches = all.Where(i => (exact?.Invoke(i) ?? false) || (pattern?.IsMatch(text(i)) ?? false)).ToList();
            if (matches.Count == 0 && !isPattern)
            {
                WriteError(ErrorRecordFactory.Create(new HttpSysException(HttpSysErrorReason.NotFound, $"No {noun} '{value}' exists in the store (see Get-{NounOf()})."), value));
            }

            found.AddRange(matches.Where(m => !found.Contains(m)));
        }

        return found;
    }

    /// <summary>
    /// Writes the engine's warnings, a verbose line, and with <paramref name="passThru"/> a <see cref="ProvisioningResult"/>
    /// (Kind and Action are the cmdlet's noun and verb) about <paramref name="target"/>, whose state is now <paramref name="item"/>.
    /// </summary>
    protected void WriteResult(ConfigChangeResult result, string target, object? item, bool passThru)
    {
        foreach (var warning in result.Warnings)
        {
            WriteWarning(warning);
        }

        WriteVerbose(result.Changed ? $"Changed {target} in '{ConfigPath ?? "the store"}'." : $"{target} is already as requested; nothing changed.");
        if (passThru)
        {
            WriteObject(new ProvisioningResult(NounOf(), VerbOf(), target, result.Changed, item, result.Warnings));
        }
    }

    private string NounOf() => Declared.NounName;

    private string VerbOf() => Declared.VerbName;

    private CmdletAttribute Declared => (CmdletAttribute)Attribute.GetCustomAttribute(GetType(), typeof(CmdletAttribute))!;
}
