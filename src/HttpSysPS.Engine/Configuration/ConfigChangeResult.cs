namespace HttpSysPS.Engine.Configuration;

/// <summary>What a store mutation did.</summary>
/// <param name="Changed">False when the store already held the requested state: nothing was written (idempotent no-op).</param>
/// <param name="Warnings">Non-fatal findings, e.g. an expired certificate; empty when none.</param>
public sealed record ConfigChangeResult(bool Changed, IReadOnlyList<string> Warnings)
{
    /// <summary>Changed, no warnings.</summary>
    public static ConfigChangeResult Done { get; } = new(true, []);

    /// <summary>Nothing to do, no warnings.</summary>
    public static ConfigChangeResult NoChange { get; } = new(false, []);
}
