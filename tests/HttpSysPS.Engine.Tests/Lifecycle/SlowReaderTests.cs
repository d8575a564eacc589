using System.Net;
using HttpSysPS.Engine.Handlers;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Lifecycle;

/// <summary>
/// A client that requests a large file and does not read must hold its connection and nothing else: once the handler
/// has returned, the rest of the send belongs to the connection (HTTP.sys TransmitFile), so the listener's handler
/// slots stay free for everyone else.
/// </summary>
public sealed class SlowReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("httpsysps-slow-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Clients_that_never_read_a_large_file_do_not_starve_the_listener(bool staticFiles)
    {
        var big = Path.Combine(_dir, "big.bin");
        await File.WriteAllBytesAsync(big, new byte[8 * 1024 * 1024]);
        await File.WriteAllTextAsync(Path.Combine(_dir, "small.txt"), "small");
        IRequestHandler handler = staticFiles
            ? new StaticFileHandler(_dir)
            : new DelegateHandler((context, ct) => context.Request.Path == "/big.bin"
                ? new ValueTask(context.Response.SendFileAsync(big, cancellationToken: ct))
                : context.Response.WriteAsync("small", ct));
        const int Slots = 2;
        await using var server = await TestServer.StartAsync(handler, configureGroup: o => o with { MaxConcurrentRequests = Slots });

        var readers = new List<RawClient>();
        try
        {
            // Twice as many non-readers as there are slots: before the fix each held a slot for its whole send.
            for (var i = 0; i < 2 * Slots; i++)
            {
                var reader = await server.ConnectAsync(receiveBufferSize: 1024);
                await reader.SendAsync("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
                readers.Add(reader);
            }

            using var client = server.CreateClient();
            for (var i = 0; i < 3; i++)
            {
                using var response = await client.GetAsync("/small.txt").Bounded();
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("small", await response.Content.ReadAsStringAsync());
            }
        }
        finally
        {
            foreach (var reader in readers)
            {
                await reader.DisposeAsync();
            }
        }
    }
}
