namespace HttpSysPS.Cmdlets.Tests.Infrastructure;

/// <summary>
/// What the checks need to know about one cmdlet class, read with MetadataLoadContext (plain data, so the context
/// can be disposed and the model shared by parallel tests).
/// </summary>
/// <param name="ClassName">The class's simple name.</param>
/// <param name="Verb">From [Cmdlet], or null when the class has no [Cmdlet].</param>
/// <param name="Noun">From [Cmdlet], or null when the class has no [Cmdlet].</param>
/// <param name="SupportsShouldProcess">[Cmdlet(SupportsShouldProcess = true)].</param>
/// <param name="ConfirmImpact">0 None, 1 Low, 2 Medium (the default), 3 High.</param>
/// <param name="DefaultParameterSetName">[Cmdlet(DefaultParameterSetName = ...)], if given.</param>
/// <param name="OutputTypes">Every [OutputType] type.</param>
/// <param name="Parameters">Public properties carrying [Parameter], including inherited ones.</param>
public sealed record CmdletModel(
    string ClassName,
    string? Verb,
    string? Noun,
    bool SupportsShouldProcess,
    int ConfirmImpact,
    string? DefaultParameterSetName,
    IReadOnlyList<OutputTypeModel> OutputTypes,
    IReadOnlyList<ParameterModel> Parameters)
{
    /// <summary>The name PowerShell's own set gets when a cmdlet declares none.</summary>
    public const string AllSets = "__AllParameterSets";

    /// <summary>Verb-Noun, or the class name when [Cmdlet] is missing.</summary>
    public string Name => Verb is null ? ClassName : $"{Verb}-{Noun}";

    /// <summary>
    /// The parameter sets as PowerShell builds them: every named set plus the default set's name;
    /// only <see cref="AllSets"/> when there are none.
    /// </summary>
    public IReadOnlyList<string> ParameterSets
    {
        get
        {
            var sets = Parameters.SelectMany(p => p.Attributes).Select(a => a.SetName).Where(s => s != AllSets).ToList();
            if (DefaultParameterSetName is not null)
            {
                sets.Add(DefaultParameterSetName);
            }

            var distinct = sets.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            return distinct.Count == 0 ? [AllSets] : distinct;
        }
    }

    /// <summary>Parameters in <paramref name="set"/> with their [Parameter] for that set.</summary>
    public IEnumerable<(ParameterModel Parameter, ParameterAttributeModel Attribute)> ParametersIn(string set)
    {
        foreach (var parameter in Parameters)
        {
            var attribute = parameter.In(set);
            if (attribute is not null)
            {
                yield return (parameter, attribute);
            }
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}

/// <summary>An [OutputType] entry.</summary>
/// <param name="FullName">Type full name (or the string given to [OutputType("...")]).</param>
/// <param name="Properties">Public instance property names, including inherited; empty for a string-named type.</param>
/// <param name="BaseTypes">Full names of the type and its base types and interfaces, for pipeline-by-value checks.</param>
public sealed record OutputTypeModel(string FullName, IReadOnlyList<string> Properties, IReadOnlyList<string> BaseTypes);

/// <summary>A cmdlet parameter.</summary>
/// <param name="Name">Property name.</param>
/// <param name="TypeFullName">The property type's full name.</param>
/// <param name="DocTypeNames">Spellings that a platyPS <c>Type:</c> field may use for the type.</param>
/// <param name="Aliases">[Alias] names.</param>
/// <param name="Attributes">One per [Parameter].</param>
public sealed record ParameterModel(
    string Name,
    string TypeFullName,
    IReadOnlyList<string> DocTypeNames,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<ParameterAttributeModel> Attributes)
{
    /// <summary>The [Parameter] that applies in <paramref name="set"/>: the set's own, else the all-sets one.</summary>
    public ParameterAttributeModel? In(string set) =>
        Attributes.FirstOrDefault(a => string.Equals(a.SetName, set, StringComparison.OrdinalIgnoreCase))
        ?? Attributes.FirstOrDefault(a => a.SetName == CmdletModel.AllSets);

    /// <summary>True when the parameter name or one of its aliases is <paramref name="name"/>.</summary>
    public bool IsCalled(string name) =>
        string.Equals(Name, name, StringComparison.OrdinalIgnoreCase) || Aliases.Contains(name, StringComparer.OrdinalIgnoreCase);
}

/// <summary>One [Parameter] attribute.</summary>
public sealed record ParameterAttributeModel(
    string SetName,
    bool Mandatory,
    int? Position,
    bool ValueFromPipeline,
    bool ValueFromPipelineByPropertyName);
