using System.Text.Json.Nodes;
using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Host.Dsc;

/// <summary>
/// A desired state compared with the store: the actual state, the properties that differ, and how to get there.
/// </summary>
/// <param name="Actual">The instance as the store holds it now (what <c>get</c> prints).</param>
/// <param name="Differences">
/// The properties whose desired value differs from the actual one, in schema order; <c>_exist</c> alone when the
/// instance should exist and does not, or should not and does. Empty means in the desired state.
/// </param>
/// <param name="Apply">Writes the desired state to the store (a no-op when already there).</param>
/// <param name="Simulate">The configuration as <see cref="Apply"/> would leave it, for what-if; throws what Apply would throw.</param>
/// <param name="Key">The instance's key properties alone, to read it back after Apply or Simulate.</param>
internal sealed record DscPlan(
    JsonObject Actual,
    IReadOnlyList<string> Differences,
    Func<ServiceConfigStore, ConfigChangeResult> Apply,
    Func<ServiceConfig, ServiceConfig> Simulate,
    string Key);
