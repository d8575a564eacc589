using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HttpSysPS.PowerShell.Tests.Infrastructure;

/// <summary>Loopback HTTP with <see cref="HttpClient"/>, and port probes, for checking listeners from outside PowerShell.</summary>
public static class Http
{
    // One client for the process. Every request says Connection: close, so no pooled connection outlives a listener
    // the tests stop (a later listener may get the same ephemeral port).
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>GETs <paramref name="url"/>; returns the status code and the body as text.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> GetAsync(string url)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.ConnectionClose = true;
        using var response = await Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>GETs <paramref name="url"/> synchronously (for the worker threads of the concurrency tests).</summary>
    public static (HttpStatusCode Status, string Body) Get(string url) => GetAsync(url).GetAwaiter().GetResult();

    /// <summary>True when nothing accepts connections on <paramref name="url"/> any more (the request fails to connect).</summary>
    public static async Task<bool> IsRefusedAsync(string url)
    {
        try
        {
            await GetAsync(url);
            return false;
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException)
        {
            return true;
        }
    }

    /// <summary>
    /// Sends one GET over a raw socket and returns everything the server sent until it closed or reset the connection:
    /// empty when the request was aborted without a response. Unlike <see cref="HttpClient"/>, which may send an
    /// aborted request again on a new connection, this shows what happened to the one request.
    /// </summary>
    public static async Task<string> GetUntilClosedAsync(string url)
    {
        var uri = new Uri(url);
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(uri.Host, uri.Port);
        await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\n\r\n"));
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int count;
            while ((count = await socket.ReceiveAsync(buffer)) > 0)
            {
                received.Write(buffer, 0, count);
            }
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
        {
            // An abort: what arrived before it is the answer.
        }

        return Encoding.ASCII.GetString(received.ToArray());
    }

    /// <summary>The port of a URL such as a listener's BoundUrl.</summary>
    public static int Port(string url) => new Uri(url).Port;

    /// <summary>
    /// True when a new <see cref="TcpListener"/> can bind <paramref name="port"/> on the IPv4 loopback and, where the
    /// machine has one, the IPv6 loopback (a localhost listener binds both).
    /// </summary>
    public static bool PortIsFree(int port)
    {
        foreach (var address in Socket.OSSupportsIPv6 ? new[] { IPAddress.Loopback, IPAddress.IPv6Loopback } : [IPAddress.Loopback])
        {
            var probe = new TcpListener(address, port);
            try
            {
                probe.Start();
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
            {
                return false;
            }
            catch (SocketException e) when (address.Equals(IPAddress.IPv6Loopback) && e.SocketErrorCode == SocketError.AddressNotAvailable)
            {
                // No ::1 on this machine (IPv6 disabled on lo): nothing can hold the port there.
            }
            finally
            {
                probe.Stop();
            }
        }

        return true;
    }
}
