using System.Net;
using System.Net.Sockets;

namespace HttpSysPS.Engine.Connections;

/// <summary>One listening socket and its accept loop.</summary>
internal sealed class ListenEndpoint
{
    private readonly Socket _socket;

    public ListenEndpoint(Socket socket, string scheme, IPAddress? address, string? unixSocketPath)
    {
        _socket = socket;
        Scheme = scheme;
        Address = address;
        UnixSocketPath = unixSocketPath;
        LocalEndPoint = socket.LocalEndPoint!;
    }

    public string Scheme { get; }

    /// <summary>The bound address (IPv6Any for the dual-mode wildcard); null for a Unix socket.</summary>
    public IPAddress? Address { get; }

    public string? UnixSocketPath { get; }

    public EndPoint LocalEndPoint { get; }

    public int Port => (LocalEndPoint as IPEndPoint)?.Port ?? 0;

    public bool IsClosed { get; private set; }

    public void StartAccepting(Action<Socket, ListenEndpoint> onAccepted) => _ = AcceptLoopAsync(onAccepted);

    public void Close()
    {
        IsClosed = true;
        _socket.Dispose();
        if (UnixSocketPath is not null)
        {
            try
            {
                File.Delete(UnixSocketPath);
            }
            catch (IOException)
            {
                // Best effort: a leftover socket file is removed at the next bind.
            }
        }
    }

    public override string ToString() => LocalEndPoint.ToString() ?? Scheme;

    private async Task AcceptLoopAsync(Action<Socket, ListenEndpoint> onAccepted)
    {
        while (!IsClosed)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException) when (IsClosed)
            {
                return;
            }
            catch (SocketException)
            {
                // A connection reset before accept completed (ECONNABORTED): keep accepting.
                continue;
            }

            onAccepted(client, this);
        }
    }
}
