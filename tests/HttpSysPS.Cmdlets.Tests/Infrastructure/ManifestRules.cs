namespace HttpSysPS.Cmdlets.Tests.Infrastructure;

/// <summary>Checks of HttpSysPS.psd1 against the built code and the files in the repository.</summary>
public static class ManifestRules
{
    /// <summary>The export keys that must be explicit lists (PowerShell's analysis of wildcards needs the module loaded).</summary>
    public static readonly string[] ExportKeys = ["CmdletsToExport", "FunctionsToExport", "AliasesToExport", "VariablesToExport"];

    /// <summary>CmdletsToExport names exactly the cmdlets the assembly defines.</summary>
    public static List<string> Exports(Dictionary<string, object?> manifest, IEnumerable<string> assemblyCmdlets)
    {
        var listed = PowerShellDataFile.Strings(manifest.GetValueOrDefault("CmdletsToExport"));
        var built = assemblyCmdlets.ToList();
        var problems = new List<string>();
        var missing = built.Except(listed, StringComparer.OrdinalIgnoreCase).ToList();
        var extra = listed.Except(built, StringComparer.OrdinalIgnoreCase).ToList();
        if (missing.Count > 0)
        {
            problems.Add($"cmdlets in the assembly but not in CmdletsToExport: {string.Join(", ", missing)}");
        }

        if (extra.Count > 0)
        {
            problems.Add($"CmdletsToExport names cmdlets the assembly does not have: {string.Join(", ", extra)}");
        }

        foreach (var duplicate in listed.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            problems.Add($"CmdletsToExport lists {duplicate.Key} twice");
        }

        return problems;
    }

    /// <summary>Every export key present as an explicit list, none with wildcards; functions, aliases, variables empty.</summary>
    public static List<string> ExplicitExports(Dictionary<string, object?> manifest)
    {
        var problems = new List<string>();
        foreach (var key in ExportKeys.Append("DscResourcesToExport"))
        {
            if (!manifest.TryGetValue(key, out var value))
            {
                if (key != "DscResourcesToExport")
                {
                    problems.Add($"{key} is missing: without it PowerShell exports everything ('*')");
                }

                continue;
            }

            foreach (var name in PowerShellDataFile.Strings(value).Where(n => n.IndexOfAny(['*', '?', '[']) >= 0))
            {
                problems.Add($"{key} contains the wildcard '{name}'");
            }
        }

        foreach (var key in new[] { "FunctionsToExport", "AliasesToExport", "VariablesToExport" })
        {
            if (manifest.TryGetValue(key, out var value) && PowerShellDataFile.Strings(value).Count > 0)
            {
                problems.Add($"{key} must be @(): the module is binary and exports cmdlets only");
            }
        }

        return problems;
    }

    /// <summary>Every FormatsToProcess file exists in <paramref name="presentFormatFiles"/> and every present one is listed.</summary>
    public static List<string> Formats(Dictionary<string, object?> manifest, IEnumerable<string> presentFormatFiles)
    {
        var listed = PowerShellDataFile.Strings(manifest.GetValueOrDefault("FormatsToProcess"));
        var present = presentFormatFiles.ToList();
        var problems = new List<string>();
        if (listed.Count == 0)
        {
            problems.Add("FormatsToProcess is empty: the output types need a Format.ps1xml");
        }

        problems.AddRange(listed.Except(present, StringComparer.Ordinal).Select(f => $"FormatsToProcess names {f}, which does not exist in src/HttpSysPS.Cmdlets"));
        problems.AddRange(present.Except(listed, StringComparer.Ordinal).Select(f => $"src/HttpSysPS.Cmdlets/{f} exists but FormatsToProcess does not list it"));
        return problems;
    }

    /// <summary>RootModule, GUID, version equal to the assembly's, Core only, PowerShell 7.4, PSData present.</summary>
    public static List<string> Basics(Dictionary<string, object?> manifest, Version assemblyVersion)
    {
        var problems = new List<string>();
        string? Text(string key) => manifest.GetValueOrDefault(key) as string;
        if (Text("RootModule") != "HttpSysPS.psm1")
        {
            problems.Add($"RootModule is '{Text("RootModule")}', expected 'HttpSysPS.psm1'");
        }

        if (!Guid.TryParse(Text("GUID"), out _))
        {
            problems.Add($"GUID '{Text("GUID")}' is not a GUID");
        }

        var expected = $"{assemblyVersion.Major}.{assemblyVersion.Minor}.{assemblyVersion.Build}";
        if (Text("ModuleVersion") != expected)
        {
            problems.Add($"ModuleVersion '{Text("ModuleVersion")}' differs from the assembly version {expected} (Directory.Build.props <Version>)");
        }

        var editions = PowerShellDataFile.Strings(manifest.GetValueOrDefault("CompatiblePSEditions"));
        if (editions.Count != 1 || editions[0] != "Core")
        {
            problems.Add($"CompatiblePSEditions is [{string.Join(", ", editions)}], expected @('Core')");
        }

        if (Text("PowerShellVersion") != "7.4")
        {
            problems.Add($"PowerShellVersion is '{Text("PowerShellVersion")}', expected '7.4'");
        }

        if (string.IsNullOrWhiteSpace(Text("Author")) || string.IsNullOrWhiteSpace(Text("Description")))
        {
            problems.Add("Author and Description must be set");
        }

        if (manifest.GetValueOrDefault("PrivateData") is not Dictionary<string, object?> privateData
            || privateData.GetValueOrDefault("PSData") is not Dictionary<string, object?>)
        {
            problems.Add("PrivateData.PSData is missing");
        }

        return problems;
    }
}
