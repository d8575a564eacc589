using HttpSysPS.HelpGen;

namespace HttpSysPS.Cmdlets.Tests.Infrastructure;

/// <summary>
/// docs/cmdlets/&lt;Verb-Noun&gt;.md must describe the cmdlet as it is built: every parameter (including inherited
/// ones) with a matching Type, the same parameter sets, and per set the same Required and Position.
/// </summary>
public static class DocRules
{
    private static readonly string[] ShouldProcessParameters = ["WhatIf", "Confirm"];

    /// <summary>Differences between <paramref name="cmdlet"/> and its parsed help.</summary>
    public static List<string> Compare(CmdletModel cmdlet, CommandHelp help)
    {
        var problems = new List<string>();
        if (!string.Equals(help.Name, cmdlet.Name, StringComparison.Ordinal))
        {
            problems.Add($"the doc's title is '# {help.Name}', the cmdlet is {cmdlet.Name}");
        }

        var codeSets = cmdlet.ParameterSets;
        var missingSets = codeSets.Where(s => !help.ParameterSets.Contains(s, StringComparer.OrdinalIgnoreCase)).ToList();
        var extraSets = help.ParameterSets.Where(s => !codeSets.Contains(s, StringComparer.OrdinalIgnoreCase)).ToList();
        if (missingSets.Count > 0 || extraSets.Count > 0)
        {
            problems.Add($"## SYNTAX lists parameter sets [{string.Join(", ", help.ParameterSets)}], the cmdlet has [{string.Join(", ", codeSets)}] (one '### SetName' per set; '### {CmdletModel.AllSets}' when it declares none)");
        }

        if (codeSets.Count > 1 && !string.Equals(help.DefaultParameterSet, cmdlet.DefaultParameterSetName, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"## SYNTAX marks '{help.DefaultParameterSet ?? "no set"}' as (Default), the cmdlet's default is '{cmdlet.DefaultParameterSetName}'");
        }

        foreach (var parameter in cmdlet.Parameters.Where(p => !CmdletRules.CommonParameters.Contains(p.Name)))
        {
            var doc = help.Parameters.FirstOrDefault(d => string.Equals(d.Name, parameter.Name, StringComparison.OrdinalIgnoreCase));
            if (doc is null)
            {
                problems.Add($"-{parameter.Name} ({parameter.TypeFullName}) is not documented: add '### -{parameter.Name}' with a ```yaml block under ## PARAMETERS");
                continue;
            }

            if (!parameter.DocTypeNames.Contains(doc.Type, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"### -{parameter.Name}: 'Type: {doc.Type}' does not match {parameter.TypeFullName} (write {parameter.DocTypeNames[0]})");
            }

            foreach (var set in codeSets)
            {
                var code = parameter.In(set);
                var documented = doc.MetadataFor(set);
                if (code is null && documented is not null)
                {
                    problems.Add($"### -{parameter.Name}: documented in parameter set {set}, which the cmdlet's -{parameter.Name} is not in");
                }
                else if (code is not null && documented is null)
                {
                    problems.Add($"### -{parameter.Name}: the cmdlet has it in parameter set {set}, the doc's 'Parameter Sets:' does not");
                }
                else if (code is not null && documented is not null)
                {
                    if (code.Mandatory != documented.Required)
                    {
                        problems.Add($"### -{parameter.Name}: 'Required: {documented.Required}' in set {set}, the cmdlet says Mandatory = {code.Mandatory}");
                    }

                    if (code.Position != documented.Position)
                    {
                        problems.Add($"### -{parameter.Name}: 'Position: {documented.Position?.ToString() ?? "Named"}' in set {set}, the cmdlet says {code.Position?.ToString() ?? "Named"}");
                    }
                }
            }
        }

        foreach (var doc in help.Parameters)
        {
            var exists = cmdlet.Parameters.Any(p => string.Equals(p.Name, doc.Name, StringComparison.OrdinalIgnoreCase))
                || (cmdlet.SupportsShouldProcess && ShouldProcessParameters.Contains(doc.Name, StringComparer.OrdinalIgnoreCase));
            if (!exists)
            {
                problems.Add($"### -{doc.Name} is documented but {cmdlet.Name} has no such parameter");
            }
        }

        return problems;
    }
}
