using System.Management.Automation;
using HttpSysPS.Cmdlets.Hosting;
using HttpSysPS.Cmdlets.WebSockets;
using HttpSysPS.Engine;

namespace HttpSysPS.Cmdlets;

/// <summary>Base of the listener cmdlets: finding listeners by name, Ctrl+C, and error mapping.</summary>
public abstract class ListenerCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>Fires when the user presses Ctrl+C (StopProcessing).</summary>
    protected CancellationToken Cancellation => _stopping.Token;

    /// <summary>Cancels <see cref="Cancellation"/>.</summary>
    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>
    /// The listeners matching <paramref name="names"/> (wildcards allowed); every listener when null. A name without
    /// wildcards that matches nothing is a NotFound error, as Get-Process reports a missing name.
    /// </summary>
    internal IEnumerable<HostedListener> Resolve(string[]? names)
    {
        var all = ListenerRegistry.All;
        if (names is null)
        {
            return all;
        }

        var found = new List<HostedListener>();
        foreach (var name in names)
        {
            var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
            var matches = all.Where(l => pattern.IsMatch(l.Name)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                WriteError(ErrorRecordFactory.Create(new HttpSysException(HttpSysErrorReason.NotFound, $"No listener named '{name}' exists (see Get-HttpSysListener)."), name));
            }

            found.AddRange(matches.Where(m => !found.Contains(m)));
        }

        return found;
    }

    /// <summary>
    /// The open WebSockets of the listeners matching <paramref name="names"/> (every listener when null), oldest first;
    /// with <paramref name="ids"/>, only those ids. An id that is not open in those listeners is a NotFound error.
    /// </summary>
    internal IEnumerable<HttpSysWebSocketConnection> ResolveWebSockets(string[]? names, ulong[]? ids)
    {
        var sockets = Resolve(names).SelectMany(l => l.Group.WebSockets.GetAll()).Select(s => new HttpSysWebSocketConnection(s)).ToList();
        if (ids is null)
        {
            return sockets;
        }

        var found = new List<HttpSysWebSocketConnection>();
        foreach (var id in ids)
        {
            if (sockets.FirstOrDefault(s => s.Id == id) is { } socket)
            {
                found.Add(socket);
            }
            else
            {
                WriteError(ErrorRecordFactory.Create(new HttpSysException(HttpSysErrorReason.NotFound, $"No open WebSocket has the id {id} (see Get-HttpSysWebSocket)."), id));
            }
        }

        return found;
    }

    /// <summary>Runs <paramref name="action"/>, turning engine, I/O and state failures into non-terminating errors about <paramref name="target"/>.</summary>
    protected void Invoke(object? target, Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (ErrorRecordFactory.IsMapped(e))
        {
            WriteError(ErrorRecordFactory.Create(e, target));
        }
        catch (OperationCanceledException) when (Cancellation.IsCancellationRequested)
        {
            // Ctrl+C: PowerShell ends the pipeline itself.
        }
    }
}
