using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Management.Automation.Runspaces;
using SMA = System.Management.Automation;

namespace HttpSysPS.PowerShell.Tests.Infrastructure;

/// <summary>
/// One runspace with the staged module imported, as a user's session has it. Every test class makes its own; the
/// module's listener registry is per process, so tests name their listeners uniquely (<see cref="UniqueName"/>) and never
/// remove listeners they did not create, except in the <see cref="SerialCollection"/>.
/// </summary>
public sealed class ModuleSession : IDisposable
{
    static ModuleSession()
    {
        // The listener cmdlets read reservations and timeouts from $env:HTTPSYSPS_CONFIG (else the machine store);
        // one empty per-process store keeps the machine's out of these tests. Set before any module import.
        var dir = Directory.CreateTempSubdirectory("httpsysps-pstests-");
        Environment.SetEnvironmentVariable("HTTPSYSPS_CONFIG", Path.Combine(dir.FullName, "config.json"));
    }

    /// <summary>Opens a runspace and imports the staged module into it.</summary>
    public ModuleSession()
        : this(null)
    {
    }

    /// <summary>Opens a runspace on <paramref name="host"/> (e.g. a <see cref="TestHost"/>; null = the SDK's default host) and imports the staged module into it.</summary>
    public ModuleSession(PSHost? host)
    {
        var state = InitialSessionState.CreateDefault2();
        Runspace = host is null ? RunspaceFactory.CreateRunspace(state) : RunspaceFactory.CreateRunspace(host, state);
        Runspace.Open();
        Run("Import-Module -Name $args[0] -ErrorAction Stop", TestPaths.ModuleManifest);
    }

    /// <summary>The session's runspace.</summary>
    public Runspace Runspace { get; }

    /// <summary>A listener name no other test uses.</summary>
    public static string UniqueName(string stem) => $"{stem}-{Guid.NewGuid():N}"[..(stem.Length + 9)];

    /// <summary>Runs <paramref name="script"/> (arguments as <c>$args</c>); a terminating error throws, other errors are returned.</summary>
    public Result Run(string script, params object?[] arguments)
    {
        using var shell = SMA.PowerShell.Create();
        shell.Runspace = Runspace;
        shell.AddScript(script);
        foreach (var argument in arguments)
        {
            shell.AddArgument(argument);
        }

        var output = shell.Invoke();
        return new Result(output, shell.Streams.Error.ToArray(), shell.Streams.Warning.Select(w => w.Message).ToArray());
    }

    /// <summary>Runs <paramref name="script"/> and returns its output as one string (<c>Out-String</c> applied by the caller).</summary>
    public string RunText(string script, params object?[] arguments) =>
        string.Concat(Run(script, arguments).Output.Select(o => o?.ToString()));

    public void Dispose() => Runspace.Dispose();

    /// <summary>What a script returned: its output, its non-terminating errors and its warnings.</summary>
    public sealed record Result(Collection<PSObject> Output, ErrorRecord[] Errors, string[] Warnings)
    {
        /// <summary>The single output object's base object, typed.</summary>
        public T Single<T>() => (T)Output.Single().BaseObject;
    }
}

/// <summary>Tests that touch every listener of the process (Remove-Module, Get-HttpSysListener without names) run alone.</summary>
[CollectionDefinition(nameof(SerialCollection), DisableParallelization = true)]
public sealed class SerialCollection;
