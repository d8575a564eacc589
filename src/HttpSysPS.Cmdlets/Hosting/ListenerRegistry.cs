using HttpSysPS.Engine;
using HttpSysPS.Engine.Configuration;
using HttpSysPS.Engine.Handlers;
using HttpSysPS.Engine.Hosting;

namespace HttpSysPS.Cmdlets.Hosting;

/// <summary>
/// The one owner of live listeners in the module, and the only static state of the cmdlet layer (the engine has none):
/// listeners must outlive the cmdlet call that created them and be found by name from any later call in the session,
/// and PowerShell gives a binary module no other place for that. It holds:
/// <list type="bullet">
/// <item>the module's single <see cref="HttpServer"/>, created with the first listener and disposed with the last, so
/// all listeners share ports and the prefix table the way HTTP.sys URL groups do. Its configuration store is resolved
/// as the provisioning cmdlets resolve theirs without <c>-ConfigPath</c> (<c>$env:HTTPSYSPS_CONFIG</c>, else the
/// machine store), so URL reservations, SSL bindings and service-wide timeouts apply, and changes to them apply live;</item>
/// <item>the listeners by name (case-insensitive, as PowerShell compares names), each with a bounded event buffer fed
/// by the server's events through one <see cref="ListenerEventRouter"/>.</item>
/// </list>
/// Removing the module removes every listener (HttpSysPS.psm1's OnRemove pipes Get-HttpSysListener to
/// Remove-HttpSysListener -Force), which disposes the server.
/// </summary>
internal static class ListenerRegistry
{
    private static readonly object Gate = new();
    private static readonly Dictionary<string, HostedListener> Listeners = new(StringComparer.OrdinalIgnoreCase);

    // Names of listeners being created (their handler is being made outside the lock): taken, but not listed yet.
    private static readonly HashSet<string> Pending = new(StringComparer.OrdinalIgnoreCase);
    private static readonly ListenerEventRouter Router = new();
    private static HttpServer? _server;
    private static int _lastNumber;

    /// <summary>Every listener, by name.</summary>
    public static IReadOnlyList<HostedListener> All
    {
        get
        {
            lock (Gate)
            {
                return Listeners.Values.OrderBy(l => l.Name, StringComparer.OrdinalIgnoreCase).ToArray();
            }
        }
    }

    /// <summary>The module's server while any listener exists (its response cache is shared by every listener), else null.</summary>
    public static HttpServer? Server
    {
        get
        {
            lock (Gate)
            {
                return _server;
            }
        }
    }

    /// <summary>
    /// The default name the next <see cref="Create"/> without a name would take (Listener1, Listener2, ...), without
    /// taking it: New-HttpSysListener -WhatIf shows it, and only a listener actually created uses a number up.
    /// </summary>
    public static string PeekName()
    {
        lock (Gate)
        {
            return PeekNameLocked(out _);
        }
    }

    /// <summary>
    /// Creates a listener (not started) named <paramref name="name"/>, or, when null, the default name
    /// <see cref="PeekName"/> shows, taken atomically with the creation (two sessions never get the same one, and a
    /// failed creation takes none). <paramref name="buildOptions"/> receives the name; <paramref name="createHandler"/>
    /// receives the options and the router, through which a handler that answers its own failures reports them.
    /// Nothing is left behind when any step fails.
    /// </summary>
    /// <remarks>
    /// The name is reserved under the lock, but the handler is created outside it: a scriptblock handler opens a
    /// runspace and imports the -ImportModule modules, a compiled one runs its constructor, and neither may hold up
    /// every other runspace's Get/Stop/Remove (or tab completion) meanwhile, nor call back into the registry.
    /// </remarks>
    public static HostedListener Create(string? name, Func<string, UrlGroupOptions> buildOptions, HandlerKind kind, IReadOnlyList<string> urlPrefix, Func<UrlGroupOptions, ListenerEventRouter, IRequestHandler> createHandler)
    {
        int number;
        lock (Gate)
        {
            number = _lastNumber;
            name ??= PeekNameLocked(out number);
            if (Listeners.ContainsKey(name) || Pending.Contains(name))
            {
                throw new HttpSysException(HttpSysErrorReason.AlreadyExists, $"A listener named '{name}' already exists; choose another -Name or remove it first.");
            }

            Pending.Add(name);
        }

        var events = new ListenerEventBuffer();
        IRequestHandler? handler = null;
        try
        {
            var options = buildOptions(name);

            // Registered before the handler exists, so what it reports while it starts up is kept.
            Router.Register(name, events);
            handler = createHandler(options, Router);
            lock (Gate)
            {
                var server = _server ??= new HttpServer(new HttpServerOptions { ConfigStore = ServiceConfigStore.Open(null), Events = Router });
                try
                {
                    var listener = new HostedListener(server.CreateUrlGroup(options, handler), kind, urlPrefix, events, handler as IDisposable);
                    Listeners.Add(name, listener);
                    _lastNumber = Math.Max(_lastNumber, number);
                    return listener;
                }
                catch
                {
                    DisposeServerIfIdle();
                    throw;
                }
            }
        }
        catch
        {
            Router.Unregister(name);
            (handler as IDisposable)?.Dispose();
            throw;
        }
        finally
        {
            lock (Gate)
            {
                Pending.Remove(name);
            }
        }
    }

    /// <summary>Stops <paramref name="listener"/> within <paramref name="gracePeriod"/>, removes it, and releases its handler.</summary>
    public static async Task RemoveAsync(HostedListener listener, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        await listener.Group.StopAsync(gracePeriod, cancellationToken).ConfigureAwait(false);
        await listener.Group.RemoveAsync(TimeSpan.Zero).ConfigureAwait(false);
        lock (Gate)
        {
            // Two removals of one listener may overlap (Remove-Module's OnRemove and a Remove-HttpSysListener in another
            // runspace); by the time the second gets here a new listener may have the name, and it must stay.
            if (Listeners.TryGetValue(listener.Name, out var current) && ReferenceEquals(current, listener))
            {
                Listeners.Remove(listener.Name);
                Router.Unregister(listener.Name);
            }

            DisposeServerIfIdle();
        }

        listener.DisposeHandler();
    }

    // Default names count up and are not reused after a removal (a script that saw Listener1 go never meets a new
    // Listener1); a number taken by a name given explicitly is skipped.
    private static string PeekNameLocked(out int number)
    {
        number = _lastNumber;
        string name;
        do
        {
            name = "Listener" + ++number;
        }
        while (Listeners.ContainsKey(name) || Pending.Contains(name));
        return name;
    }

    // A server without listeners holds only a heartbeat timer and a store watcher; dropping it lets the next listener
    // start from the store as it is then.
    private static void DisposeServerIfIdle()
    {
        if (Listeners.Count == 0 && _server is { } server)
        {
            _server = null;
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
