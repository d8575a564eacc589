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

    /// <summary>A name no listener has: Listener1, Listener2, ...</summary>
    public static string NextName()
    {
        lock (Gate)
        {
            string name;
            do
            {
                name = "Listener" + ++_lastNumber;
            }
            while (Listeners.ContainsKey(name));
            return name;
        }
    }

    /// <summary>
    /// Creates a listener (not started). <paramref name="createHandler"/> receives the router, through which a handler
    /// that answers its own failures reports them. Nothing is left behind when any step fails.
    /// </summary>
    public static HostedListener Create(UrlGroupOptions options, HandlerKind kind, IReadOnlyList<string> urlPrefix, Func<ListenerEventRouter, IRequestHandler> createHandler)
    {
        lock (Gate)
        {
            if (Listeners.ContainsKey(options.Name))
            {
                throw new HttpSysException(HttpSysErrorReason.AlreadyExists, $"A listener named '{options.Name}' already exists; choose another -Name or remove it first.");
            }

            var events = new ListenerEventBuffer();
            IRequestHandler? handler = null;
            try
            {
                var server = _server ??= new HttpServer(new HttpServerOptions { ConfigStore = ServiceConfigStore.Open(null), Events = Router });
                Router.Register(options.Name, events);
                handler = createHandler(Router);
                var listener = new HostedListener(server.CreateUrlGroup(options, handler), kind, urlPrefix, events, handler as IDisposable);
                Listeners.Add(options.Name, listener);
                return listener;
            }
            catch
            {
                Router.Unregister(options.Name);
                (handler as IDisposable)?.Dispose();
                DisposeServerIfIdle();
                throw;
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
            Listeners.Remove(listener.Name);
            Router.Unregister(listener.Name);
            DisposeServerIfIdle();
        }

        listener.DisposeHandler();
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
