namespace HttpSysPS.Cmdlets.Tests.Infrastructure;

/// <summary>
/// The house conventions for cmdlets (ARCHITECTURE.md "PowerShell conventions"), each a function from metadata to a
/// list of violations, so the same rule is run over the real module and over the fixture assembly that proves it fails.
/// </summary>
public static class CmdletRules
{
    /// <summary>PowerShell 7.4's Get-Verb list.</summary>
    public static readonly IReadOnlySet<string> ApprovedVerbs = new HashSet<string>(StringComparer.Ordinal)
    {
        // Common
        "Add", "Clear", "Close", "Copy", "Enter", "Exit", "Find", "Format", "Get", "Hide", "Join", "Lock", "Move", "New",
        "Open", "Optimize", "Pop", "Push", "Redo", "Remove", "Rename", "Reset", "Resize", "Search", "Select", "Set", "Show",
        "Skip", "Split", "Step", "Switch", "Undo", "Unlock", "Watch",
        // Communications
        "Connect", "Disconnect", "Read", "Receive", "Send", "Write",
        // Data
        "Backup", "Checkpoint", "Compare", "Compress", "Convert", "ConvertFrom", "ConvertTo", "Dismount", "Edit", "Expand",
        "Export", "Group", "Import", "Initialize", "Limit", "Merge", "Mount", "Out", "Publish", "Restore", "Save", "Sync",
        "Unpublish", "Update",
        // Diagnostic
        "Debug", "Measure", "Ping", "Repair", "Resolve", "Test", "Trace",
        // Lifecycle
        "Approve", "Assert", "Build", "Complete", "Confirm", "Deny", "Deploy", "Disable", "Enable", "Install", "Invoke",
        "Register", "Request", "Restart", "Resume", "Start", "Stop", "Submit", "Suspend", "Uninstall", "Unregister", "Wait",
        // Security
        "Block", "Grant", "Protect", "Revoke", "Unblock", "Unprotect",
        // Other
        "Use",
    };

    /// <summary>Verbs that change state, so the cmdlet must support -WhatIf/-Confirm.</summary>
    public static readonly IReadOnlySet<string> MutatorVerbs = new HashSet<string>(StringComparer.Ordinal)
    {
        "Add", "Set", "Remove", "New", "Start", "Stop", "Clear", "Restart", "Reset", "Rename", "Move", "Enable", "Disable",
        "Register", "Unregister", "Install", "Uninstall", "Update", "Suspend", "Resume", "Grant", "Revoke", "Block", "Unblock",
        "Protect", "Unprotect",
    };

    /// <summary>Verbs that destroy something: confirmation must be at least Medium.</summary>
    public static readonly IReadOnlySet<string> DestructiveVerbs = new HashSet<string>(StringComparer.Ordinal) { "Remove", "Clear", "Uninstall", "Unregister" };

    /// <summary>Setters that must offer -PassThru (house rule: "-PassThru on setters").</summary>
    public static readonly IReadOnlySet<string> SetterVerbs = new HashSet<string>(StringComparer.Ordinal) { "Set", "Add" };

    /// <summary>Verbs of X that a Get-X must feed through the pipeline (Get-X | Remove-X, Get-HttpSysListener | Stop-HttpSysListener).</summary>
    public static readonly IReadOnlySet<string> PipelineFedVerbs = new HashSet<string>(StringComparer.Ordinal) { "Remove", "Stop" };

    /// <summary>PowerShell's common and risk-mitigation parameters: supplied by the engine, never declared.</summary>
    public static readonly IReadOnlySet<string> CommonParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable",
        "WarningVariable", "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm",
    };

    /// <summary>[Cmdlet] present, approved verb, class named VerbNounCommand.</summary>
    public static List<string> Naming(CmdletModel cmdlet)
    {
        var problems = new List<string>();
        if (cmdlet.Verb is null || cmdlet.Noun is null)
        {
            problems.Add($"class {cmdlet.ClassName} derives from Cmdlet but has no [Cmdlet(verb, noun)] attribute");
            return problems;
        }

        if (!ApprovedVerbs.Contains(cmdlet.Verb))
        {
            problems.Add($"verb '{cmdlet.Verb}' is not an approved PowerShell verb (Get-Verb)");
        }

        var expected = $"{cmdlet.Verb}{cmdlet.Noun}Command";
        if (cmdlet.ClassName != expected)
        {
            problems.Add($"class {cmdlet.ClassName} should be named {expected}");
        }

        foreach (var parameter in cmdlet.Parameters.Where(p => CommonParameters.Contains(p.Name)))
        {
            problems.Add($"parameter -{parameter.Name} clashes with a PowerShell common parameter");
        }

        return problems;
    }

    /// <summary>At least one [OutputType].</summary>
    public static List<string> OutputType(CmdletModel cmdlet) =>
        cmdlet.OutputTypes.Count == 0 ? [$"{cmdlet.Name} declares no [OutputType]"] : [];

    /// <summary>Mutators support ShouldProcess with a ConfirmImpact that can ask; setters offer -PassThru.</summary>
    public static List<string> ShouldProcess(CmdletModel cmdlet)
    {
        var problems = new List<string>();
        var verb = cmdlet.Verb ?? string.Empty;
        if (MutatorVerbs.Contains(verb))
        {
            if (!cmdlet.SupportsShouldProcess)
            {
                problems.Add($"{cmdlet.Name} changes state ({verb}) but does not declare SupportsShouldProcess = true");
            }

            if (cmdlet.ConfirmImpact == 0)
            {
                problems.Add($"{cmdlet.Name} has ConfirmImpact.None: -Confirm could never be honoured for a state change");
            }

            if (DestructiveVerbs.Contains(verb) && cmdlet.ConfirmImpact < 2)
            {
                problems.Add($"{cmdlet.Name} destroys state ({verb}); ConfirmImpact must be Medium or High, not {(cmdlet.ConfirmImpact == 0 ? "None" : "Low")}");
            }
        }

        if (SetterVerbs.Contains(verb) && !cmdlet.Parameters.Any(p => p.Name == "PassThru" && p.TypeFullName == "System.Management.Automation.SwitchParameter"))
        {
            problems.Add($"{cmdlet.Name} is a setter ({verb}) without a -PassThru switch");
        }

        return problems;
    }

    /// <summary>
    /// PowerShell must be able to pick one set: several sets need a DefaultParameterSetName, no two sets may require
    /// the same parameters, and positions are unique within a set.
    /// </summary>
    public static List<string> ParameterSets(CmdletModel cmdlet)
    {
        var problems = new List<string>();
        var sets = cmdlet.ParameterSets;
        if (sets.Count > 1 && cmdlet.DefaultParameterSetName is null)
        {
            problems.Add($"{cmdlet.Name} has parameter sets {string.Join(", ", sets)} but no DefaultParameterSetName");
        }

        var signatures = sets.ToDictionary(
            s => s,
            s => string.Join(",", cmdlet.ParametersIn(s).Where(p => p.Attribute.Mandatory).Select(p => p.Parameter.Name).Order(StringComparer.OrdinalIgnoreCase)));
        foreach (var group in signatures.GroupBy(kv => kv.Value, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            problems.Add($"{cmdlet.Name}: parameter sets {string.Join(" and ", group.Select(kv => kv.Key))} have the same mandatory parameters ({(group.Key.Length == 0 ? "none" : group.Key)}), so PowerShell cannot tell them apart");
        }

        foreach (var set in sets)
        {
            foreach (var clash in cmdlet.ParametersIn(set).Where(p => p.Attribute.Position is not null).GroupBy(p => p.Attribute.Position).Where(g => g.Count() > 1))
            {
                problems.Add($"{cmdlet.Name}: in parameter set {set}, {string.Join(" and ", clash.Select(p => "-" + p.Parameter.Name))} share position {clash.Key}");
            }
        }

        return problems;
    }

    /// <summary>
    /// Each set has exactly one of <paramref name="exclusive"/>, mandatory in that set, and each of them is in some set
    /// (New-HttpSysListener: -ScriptBlock | -HandlerAssembly | -StaticRoot).
    /// </summary>
    public static List<string> ExactlyOneOf(CmdletModel cmdlet, params string[] exclusive)
    {
        var problems = new List<string>();
        foreach (var name in exclusive.Where(n => !cmdlet.Parameters.Any(p => p.Name == n)))
        {
            problems.Add($"{cmdlet.Name} has no -{name} parameter");
        }

        foreach (var set in cmdlet.ParameterSets)
        {
            var present = cmdlet.ParametersIn(set).Where(p => exclusive.Contains(p.Parameter.Name)).ToList();
            if (present.Count != 1)
            {
                problems.Add($"{cmdlet.Name}: parameter set {set} has {(present.Count == 0 ? "none" : string.Join(", ", present.Select(p => "-" + p.Parameter.Name)))} of {string.Join(" / ", exclusive.Select(n => "-" + n))}; exactly one is required");
            }
            else if (!present[0].Attribute.Mandatory)
            {
                problems.Add($"{cmdlet.Name}: -{present[0].Parameter.Name} must be mandatory in its parameter set {set}");
            }
        }

        return problems;
    }

    /// <summary>
    /// Get-X | <paramref name="consumer"/> works: some set of the consumer binds everything it requires from Get-X's
    /// output, either by value (a parameter of Get-X's output type) or by property name (Get-X's output has a property
    /// of the parameter's name or alias), and binds at least one parameter that way.
    /// </summary>
    public static List<string> PipelineFrom(CmdletModel getter, CmdletModel consumer)
    {
        if (getter.OutputTypes.Count == 0)
        {
            return [$"{getter.Name} declares no [OutputType], so {consumer.Name} cannot be checked to bind its output"];
        }

        var reasons = new List<string>();
        foreach (var set in consumer.ParameterSets)
        {
            var inSet = consumer.ParametersIn(set).ToList();
            bool Binds((ParameterModel Parameter, ParameterAttributeModel Attribute) p) =>
                (p.Attribute.ValueFromPipeline && getter.OutputTypes.Any(o => o.BaseTypes.Contains(p.Parameter.TypeFullName)))
                || (p.Attribute.ValueFromPipelineByPropertyName && getter.OutputTypes.Any(o => o.Properties.Any(p.Parameter.IsCalled)));

            var unbound = inSet.Where(p => p.Attribute.Mandatory && !Binds(p)).Select(p => "-" + p.Parameter.Name).ToList();
            if (unbound.Count == 0 && inSet.Any(Binds))
            {
                return [];
            }

            reasons.Add(unbound.Count > 0
                ? $"set {set}: {string.Join(", ", unbound)} mandatory but not bound from {string.Join("/", getter.OutputTypes.Select(o => o.FullName))} (needs ValueFromPipelineByPropertyName and a property of that name, or ValueFromPipeline of that type)"
                : $"set {set}: no parameter binds from the pipeline");
        }

        return [$"{getter.Name} | {consumer.Name} does not bind in any parameter set: {string.Join("; ", reasons)}"];
    }
}
