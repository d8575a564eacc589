using HttpSysPS.Engine;
using HttpSysPS.Engine.Hosting;

namespace HttpSysPS.Cmdlets.Hosting;

/// <summary>A listener the module owns: the engine's URL group plus what the module keeps beside it.</summary>
internal sealed class HostedListener
{
    private readonly IDisposable? _handlerResources;

    public HostedListener(UrlGroup group, HandlerKind handlerKind, IReadOnlyList<string> urlPrefix, ListenerEventBuffer events, IDisposable? handlerResources)
    {
        Group = group;
        HandlerKind = handlerKind;
        UrlPrefix = urlPrefix;
        Events = events;
        _handlerResources = handlerResources;
    }

    public UrlGroup Group { get; }

    public string Name => Group.Name;

    public HandlerKind HandlerKind { get; }

    /// <summary>The prefixes as the user gave them.</summary>
    public IReadOnlyList<string> UrlPrefix { get; }

    /// <summary>Errors, warnings and (while watched) request lines of this listener.</summary>
    public ListenerEventBuffer Events { get; }

    public HttpSysListenerInfo ToInfo() => new(
        Name,
        Group.State,
        HandlerKind,
        UrlPrefix,
        Group.RegisteredPrefixes.Select(p => p.FullPrefix).ToArray(),
        Group.RequestQueue.GetStatistics())
    {
        Authentication = Group.Options.Authentication.Schemes,
        AllowAnonymous = Group.Options.Authentication.AllowAnonymous,
    };

    /// <summary>Releases what the handler holds (the scriptblock's runspace pool) once the listener is removed.</summary>
    public void DisposeHandler() => _handlerResources?.Dispose();
}
