using System.Collections.Concurrent;
using System.Net.Sockets;
using HttpSysPS.Engine.Connections;
using HttpSysPS.Engine.Routing;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Connections;

/// <summary>
/// The accept loop survives what happens to one connection: an exception from the accepted-callback closes that
/// socket and is reported, and the next connection on the port is still accepted. (Running out of descriptors is
/// tested on a real process: Host/DescriptorExhaustionTests.)
/// </summary>
public sealed class AcceptLoopTests
{
    [Fact]
    public async Task A_connection_whose_setup_throws_is_closed_and_reported_and_the_next_one_is_served()
    {
        var warnings = new ConcurrentQueue<string>();
        var accepted = 0;
        var manager = new EndpointManager((socket, endpoint) =>
        {
            if (Interlocked.Increment(ref accepted) == 1)
            {
                throw new InvalidOperationException("setup bug");
            }

            _ = AnswerAndCloseAsync(socket);
        }, warnings.Enqueue);
        var prefix = manager.Acquire(UrlPrefix.Parse("http://127.0.0.1:0/"), dynamicPort: null);
        try
        {
            // The first connection is closed by the server (never left open and unserved) and the failure reported.
            var (first, _) = await RawClient.ConnectAndReadToEndAsync(prefix.Port);
            Assert.Empty(first);
            Assert.Contains(warnings, w => w.Contains("setup bug", StringComparison.Ordinal) && w.Contains(prefix.Port.ToString(), StringComparison.Ordinal));

            // Before the fix the exception ended the accept loop: this connection sat in the backlog forever.
            var (second, _) = await RawClient.ConnectAndReadToEndAsync(prefix.Port);
            Assert.Equal("ok", System.Text.Encoding.ASCII.GetString(second));
        }
        finally
        {
            manager.Release(prefix);
        }
    }

    [Fact]
    public async Task A_throwing_warning_sink_does_not_end_the_loop_either()
    {
        var accepted = 0;
        var manager = new EndpointManager(
            (socket, endpoint) =>
            {
                if (Interlocked.Increment(ref accepted) == 1)
                {
                    throw new InvalidOperationException("setup bug");
                }

                _ = AnswerAndCloseAsync(socket);
            },
            _ => throw new InvalidOperationException("sink bug"));
        var prefix = manager.Acquire(UrlPrefix.Parse("http://127.0.0.1:0/"), dynamicPort: null);
        try
        {
            Assert.Empty((await RawClient.ConnectAndReadToEndAsync(prefix.Port)).Received);
            Assert.Equal("ok"u8.ToArray(), (await RawClient.ConnectAndReadToEndAsync(prefix.Port)).Received);
        }
        finally
        {
            manager.Release(prefix);
        }
    }

    private static async Task AnswerAndCloseAsync(Socket socket)
    {
        using (socket)
        {
            await socket.SendAsync("ok"u8.ToArray(), SocketFlags.None);
            socket.Shutdown(SocketShutdown.Send);
        }
    }
}
