using System.Collections.Concurrent;

namespace HttpSysPS.Engine.Connections;

/// <summary>
/// The server's open connections: admission against MaxConnections, and the walks the server needs over all of them
/// (deadlines on each heartbeat, a listener stopping, an endpoint closing). Walks enumerate the dictionary directly:
/// its enumerator is lock-free and copies nothing, where <c>.Values</c> would copy every connection on every tick.
/// </summary>
internal sealed class ConnectionManager
{
    private readonly ConcurrentDictionary<long, IServerConnection> _connections = new();
    private readonly long? _maxConnections;
    private long _admitted;
    private long _lastId;

    public ConnectionManager(long? maxConnections) => _maxConnections = maxConnections;

    /// <summary>Open connections now.</summary>
    public int Count => _connections.Count;

    /// <summary>Counts a new connection in; false (nothing counted) when MaxConnections is reached.</summary>
    public bool TryAdmit()
    {
        var count = Interlocked.Increment(ref _admitted);
        if (_maxConnections is { } max && count > max)
        {
            Interlocked.Decrement(ref _admitted);
            return false;
        }

        return true;
    }

    /// <summary>Gives back an admission that never became a connection.</summary>
    public void ReleaseAdmission() => Interlocked.Decrement(ref _admitted);

    public long NextId() => Interlocked.Increment(ref _lastId);

    /// <summary>Connections accepted and started since the server started (every one took an id).</summary>
    public long Accepted => Interlocked.Read(ref _lastId);

    public void Add(IServerConnection connection) => _connections[connection.Id] = connection;

    /// <summary>The connection has closed: forgets it and releases its admission.</summary>
    public void Remove(IServerConnection connection)
    {
        if (_connections.TryRemove(connection.Id, out _))
        {
            Interlocked.Decrement(ref _admitted);
        }
    }

    public void CheckDeadlines(long now)
    {
        foreach (var entry in _connections)
        {
            entry.Value.CheckDeadline(now);
        }
    }

    public void OnUrlGroupStopped(UrlGroup group, bool abort)
    {
        foreach (var entry in _connections)
        {
            entry.Value.OnUrlGroupStopped(group, abort);
        }
    }

    public void OnEndpointClosed(ListenEndpoint endpoint)
    {
        foreach (var entry in _connections)
        {
            entry.Value.OnEndpointClosed(endpoint);
        }
    }

    public void OnTimersChanged()
    {
        foreach (var entry in _connections)
        {
            entry.Value.OnTimersChanged();
        }
    }

    public void AbortAll()
    {
        foreach (var entry in _connections)
        {
            entry.Value.Abort();
        }
    }
}
