namespace HttpSysPS.Engine.Routing;

/// <summary>The result of routing one request: the outcome and, when matched, the target and the prefix that won.</summary>
/// <typeparam name="TTarget">What a registration points at (the engine's URL group).</typeparam>
public readonly struct RouteResult<TTarget>
    where TTarget : class
{
    internal RouteResult(RouteOutcome outcome, TTarget? target, UrlPrefix? prefix)
    {
        Outcome = outcome;
        Target = target;
        Prefix = prefix;
    }

    /// <summary>Matched, or why not.</summary>
    public RouteOutcome Outcome { get; }

    /// <summary>The registration's target when <see cref="Outcome"/> is <see cref="RouteOutcome.Matched"/>; otherwise null.</summary>
    public TTarget? Target { get; }

    /// <summary>
    /// The winning prefix (so a handler knows its base path). Set for <see cref="RouteOutcome.Matched"/> and for
    /// <see cref="RouteOutcome.Unavailable"/> (the reservation that black-holed the request); otherwise null.
    /// </summary>
    public UrlPrefix? Prefix { get; }

    /// <summary>True when a live registration won.</summary>
    public bool IsMatched => Outcome == RouteOutcome.Matched;

    public override string ToString() => Prefix is null ? Outcome.ToString() : $"{Outcome} {Prefix}";
}
