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

    /// <summary>Writes the engine's warnings, and a verbose line when nothing changed.</summary>
    protected void WriteResult(ConfigChangeResult result, string target)
    {
        foreach (var warning in result.Warnings)
        {
            WriteWarning(warning);
        }

        WriteVerbose(result.Changed ? $"Changed {target} in '{ConfigPath ?? "the store"}'." : $"{target} is already as requested; nothing changed.");
    }
}
