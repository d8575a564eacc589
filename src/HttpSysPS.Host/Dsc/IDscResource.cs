using System.Text.Json.Nodes;
using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Host.Dsc;

/// <summary>
/// One DSC v3 command resource over the store: what <c>httpsys dsc &lt;resource&gt; &lt;operation&gt;</c> calls.
/// Each method reads its instance from <see cref="DscInput"/> and calls <see cref="DscInput.RejectUnknown"/>.
/// </summary>
internal interface IDscResource
{
    /// <summary>The short name on the command line: <c>urlreservation</c>, <c>sslbinding</c>, <c>timeout</c>.</summary>
    string Name { get; }

    /// <summary>The current state of the instance the input names (its key properties), <c>_exist</c> false when absent.</summary>
    JsonObject Get(ServiceConfig config, DscInput input);

    /// <summary>Reads the desired state and compares it with <paramref name="config"/>.</summary>
    DscPlan Plan(ServiceConfig config, DscInput input);

    /// <summary>Removes the instance the input names; absent is no change.</summary>
    ConfigChangeResult Delete(ServiceConfigStore store, DscInput input);

    /// <summary>Every instance in the store (a filter input narrows it to the instance it names).</summary>
    IEnumerable<JsonObject> Export(ServiceConfig config, DscInput input);
}
