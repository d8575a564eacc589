// WebSocket load client for bench/websocket.sh.
//   echo mode: WebSocketLoad echo <ws-url> <connections> <message-bytes> <warmup-seconds> <seconds>
//     Each connection sends one binary message, waits for the whole echo, checks its bytes, and sends the next
//     (closed loop, like wrk's one request per connection at a time). The sockets are raw (RawWebSocket: the frame is
//     masked once, up front, and replies are parsed in place), so the client costs far less than the servers and the
//     rates measure them, not it (ClientWebSocket capped both servers at the same rate here). Prints one line:
//     "messages=<n> seconds=<s> rate=<msg/s> p50_ms=<> p99_ms=<> errors=<n>"
//   idle mode: WebSocketLoad idle <ws-url> <connections>
//     Opens that many sockets, prints "ready <n>" when all are connected, then holds them (sending nothing) until
//     stdin closes; then closes them all and exits.
using System.Diagnostics;
using System.Net.WebSockets;

var mode = args[0];
var url = new Uri(args[1]);
var connections = int.Parse(args[2]);

if (mode == "idle")
{
    var sockets = new List<ClientWebSocket>(connections);
    for (var batch = 0; batch < connections; batch += 200)
    {
        var opening = Enumerable.Range(batch, Math.Min(200, connections - batch)).Select(_ => ConnectAsync(url)).ToArray();
        sockets.AddRange(await Task.WhenAll(opening));
    }

    Console.WriteLine($"ready {sockets.Count}");
    await Console.In.ReadToEndAsync();
    await Task.WhenAll(sockets.Select(s => s.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None)));
    return 0;
}

var size = int.Parse(args[3]);
var warmup = TimeSpan.FromSeconds(double.Parse(args[4]));
var duration = TimeSpan.FromSeconds(double.Parse(args[5]));
var payload = new byte[size];
new Random(42).NextBytes(payload);
var frame = RawWebSocket.MaskedBinaryFrame(payload);
var clients = await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => RawWebSocket.ConnectAsync(url)));

var clock = Stopwatch.StartNew();
var measureFrom = warmup;
var measureTo = warmup + duration;
var latencies = new List<double>[connections];
var counts = new long[connections];
var errors = 0;
await Task.WhenAll(clients.Select((socket, i) => Task.Run(() => RunAsync(socket, i))));

var all = latencies.SelectMany(l => l).OrderBy(v => v).ToArray();
var total = counts.Sum();
double Percentile(double p) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(p * all.Length))];
Console.WriteLine($"messages={total} seconds={duration.TotalSeconds} rate={total / duration.TotalSeconds:F0} p50_ms={Percentile(0.50):F3} p99_ms={Percentile(0.99):F3} errors={errors}");
return errors == 0 ? 0 : 1;

async Task RunAsync(RawWebSocket socket, int index)
{
    var mine = new List<double>(1 << 16);
    latencies[index] = mine;
    try
    {
        while (true)
        {
            var start = clock.Elapsed;
            if (start >= measureTo)
            {
                break;
            }

            await socket.SendAsync(frame);
            if (!await socket.ReceiveMessageAsync(payload))
            {
                Interlocked.Increment(ref errors);
                return;
            }

            if (start >= measureFrom)
            {
                mine.Add((clock.Elapsed - start).TotalMilliseconds);
                counts[index]++;
            }
        }
    }
    catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
    {
        Interlocked.Increment(ref errors);
    }
    finally
    {
        socket.Dispose();
    }
}

static async Task<ClientWebSocket> ConnectAsync(Uri url)
{
    var socket = new ClientWebSocket();
    socket.Options.KeepAliveInterval = TimeSpan.Zero;
    await socket.ConnectAsync(url, CancellationToken.None);
    return socket;
}
