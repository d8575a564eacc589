using System.Net.Sockets;

namespace HttpSysPS.Engine.Connections;

/// <summary>How a connection ends with FIN rather than a reset.</summary>
internal static class GracefulShutdown
{
    /// <summary>FIN after the last byte sent, so the client reads the whole answer (an error page) before the end.</summary>
    public static void AfterLastByte(Socket socket) => Shutdown(socket, SocketShutdown.Send);

    /// <summary>Both ways, for a connection with nothing unread (an idle timeout): FIN, not the reset a close with a
    /// pending receive gives.</summary>
    public static void BothWays(Socket socket) => Shutdown(socket, SocketShutdown.Both);

    private static void Shutdown(Socket socket, SocketShutdown how)
    {
        try
        {
            socket.Shutdown(how);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }
    }
}
