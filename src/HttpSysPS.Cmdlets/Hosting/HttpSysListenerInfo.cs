using HttpSysPS.Engine;
using HttpSysPS.Engine.Queues;

namespace HttpSysPS.Cmdlets.Hosting;

/// <summary>
/// What the listener cmdlets write: a snapshot of one listener. <see cref="Name"/> binds by property name to
/// Start/Stop/Remove/Wait-HttpSysListener and Get-HttpSysRequestQueue.
/// </summary>
/// <param name="Name">The listener's name.</param>
/// <param name="State">Created, Started, Stopping, Stopped or Removed.</param>
/// <param name="HandlerKind">ScriptBlock, Compiled or StaticFiles.</param>
/// <param name="UrlPrefix">The URL prefixes as given to New-HttpSysListener.</param>
/// <param name="BoundUrl">The prefixes as registered while started, with the real port where 0 was given; empty when not started.</param>
/// <param name="RequestQueue">The request queue's counters when the snapshot was taken.</param>
public sealed record HttpSysListenerInfo(
    string Name,
    UrlGroupState State,
    HandlerKind HandlerKind,
    IReadOnlyList<string> UrlPrefix,
    IReadOnlyList<string> BoundUrl,
    RequestQueueStatistics RequestQueue)
{
    /// <summary>The schemes the server authenticates on this listener (None: every request is anonymous).</summary>
    public Engine.Authentication.AuthenticationSchemes Authentication { get; init; }

    /// <summary>Whether requests without credentials reach the handler (HTTP.sys AllowAnonymous).</summary>
    public bool AllowAnonymous { get; init; } = true;
}
