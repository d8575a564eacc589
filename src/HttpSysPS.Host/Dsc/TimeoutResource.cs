using System.Text.Json.Nodes;
using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Host.Dsc;

/// <summary>
/// <c>HttpSysPS/Timeout</c>: the service-wide HTTP.sys timers (netsh timeout), one instance per store. Each of the six
/// TimeoutLimits timers is an optional property (seconds; bytes/s for <c>minSendBytesPerSecond</c>; 0 = the HTTP.sys
/// default, 65535 / 4294967295 = disabled). Only the timers named are managed, as Set-HttpSysTimeout changes only the
/// timers it is given. <c>effective</c> (read-only) holds the values in force. Delete sets every timer back to 0.
/// </summary>
internal sealed class TimeoutResource : IDscResource
{
    /// <summary>camelCase property name of each timer, in schema order.</summary>
    private static readonly (string Name, TimeoutKind Kind)[] Timers =
    [
        ("entityBody", TimeoutKind.EntityBody),
        ("drainEntityBody", TimeoutKind.DrainEntityBody),
        ("requestQueue", TimeoutKind.RequestQueue),
        ("idleConnection", TimeoutKind.IdleConnection),
        ("headerWait", TimeoutKind.HeaderWait),
        ("minSendBytesPerSecond", TimeoutKind.MinSendBytesPerSecond),
    ];

    public string Name => "timeout";

    public JsonObject Get(ServiceConfig config, DscInput input)
    {
        ReadTimers(input);
        input.RejectUnknown();
        return State(config.Timeouts);
    }

    public DscPlan Plan(ServiceConfig config, DscInput input)
    {
        var desired = ReadTimers(input);
        input.RejectUnknown();
        var differences = Timers.Where(t => desired.TryGetValue(t.Kind, out var value) && config.Timeouts.Get(t.Kind) != value).Select(t => t.Name).ToList();
        return new DscPlan(
            State(config.Timeouts),
            differences,
            store => store.SetTimeouts(desired),
            current => current.WithTimeouts(desired.Aggregate(current.Timeouts, (t, kv) => t.With(kv.Key, kv.Value))),
            "{}");
    }

    public ConfigChangeResult Delete(ServiceConfigStore store, DscInput input)
    {
        ReadTimers(input);
        input.RejectUnknown();
        return store.SetTimeouts(Timers.ToDictionary(t => t.Kind, _ => 0L));
    }

    public IEnumerable<JsonObject> Export(ServiceConfig config, DscInput input) => [Get(config, input)];

    /// <summary>The timers the instance names; the range is checked here (TimeoutLimits.With), before any store access.</summary>
    private static Dictionary<TimeoutKind, long> ReadTimers(DscInput input)
    {
        var values = new Dictionary<TimeoutKind, long>();
        foreach (var (name, kind) in Timers)
        {
            if (input.Integer(name) is { } value)
            {
                _ = TimeoutLimits.Inherit.With(kind, value);
                values[kind] = value;
            }
        }

        // Echoed state (get's output fed back) carries the read-only values in force; they are not settable.
        input.ReadOnly("effective");
        return values;
    }

    private static JsonObject State(TimeoutLimits stored)
    {
        var effective = TimeoutLimits.Resolve(null, stored);
        var state = new JsonObject();
        foreach (var (name, kind) in Timers)
        {
            state[name] = stored.Get(kind);
        }

        var inForce = new JsonObject();
        foreach (var (name, kind) in Timers)
        {
            inForce[name] = effective.Get(kind);
        }

        state["effective"] = inForce;
        return state;
    }
}
