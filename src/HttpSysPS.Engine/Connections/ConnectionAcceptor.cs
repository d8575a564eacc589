using System.Net.Sockets;
using HttpSysPS.Engine.Http1;
using HttpSysPS.Engine.Queues;

namespace HttpSysPS.Engine.Connections;

/// <summary>
/// Takes each socket the listening endpoints accept: admits it under MaxConnections and starts its connection on the
/// thread pool, or refuses it as HTTP.sys does at its connection limit (a 503 page, or a reset at Basic verbosity,
/// with an httperr "ConnLimit" event). Nothing it accepted stays open or counted if starting it fails.
/// </summary>
internal sealed class ConnectionAcceptor
{
    private readonly ServiceContext _service;

    public ConnectionAcceptor(ServiceContext service) => _service = service;

    public void OnAccepted(Socket socket, ListenEndpoint endpoint)
    {
        var connections = _service.Connections;
        if (!connections.TryAdmit())
        {
            _ = RefuseConnectionAsync(socket, endpoint);
            return;
        }

        Http1Connection? connection = null;
        try
        {
            // TCP_NODELAY exists only for TCP: setting it on a Unix domain socket throws (EOPNOTSUPP).
            if (endpoint.UnixSocketPath is null)
            {
                socket.NoDelay = true;
            }

            connection = new Http1Connection(_service, socket, endpoint, connections.NextId());
            connections.Add(connection);
            ThreadPool.UnsafeQueueUserWorkItem(connection, preferLocal: false);
        }
        catch
        {
            // Accepted but never served (the client reset already, or no memory): nothing may stay counted or open.
            if (connection is not null)
            {
                connections.Remove(connection);
            }
            else
            {
                connections.ReleaseAdmission();
            }

            socket.Dispose();
            throw;
        }
    }

    private async Task RefuseConnectionAsync(Socket socket, ListenEndpoint endpoint)
    {
        try
        {
            _service.ReportDropped(socket.RemoteEndPoint, endpoint.LocalEndPoint, "ConnLimit");
            if (_service.Options.Http503Verbosity == Http503Verbosity.Basic)
            {
                socket.LingerState = new LingerOption(true, 0);
            }
            else
            {
                var bytes = _service.ErrorResponses.Get(RequestRejection.ConnectionLimit, _service.Options.Http503Verbosity, _service.Heartbeat.DateHeader);
                await socket.SendAsync(bytes, SocketFlags.None).ConfigureAwait(false);
                GracefulShutdown.AfterLastByte(socket);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // The client is gone already.
        }
        finally
        {
            // Whatever happened above (an event sink that throws included), the socket is closed.
            socket.Dispose();
        }
    }
}
