using System.Net;
using System.Net.WebSockets;
using System.Text;
using HttpSysPS.PowerShell.Tests.Infrastructure;

namespace HttpSysPS.PowerShell.Tests;

/// <summary>
/// New-HttpSysListener -WebSocketScriptBlock in a real session, driven by the BCL's ClientWebSocket: $Message and
/// $WebSocket, output sent back as messages, order per socket, subprotocols, errors, limits, 426, and the HTTP
/// scriptblock beside it.
/// </summary>
public sealed class WebSocketScriptTests : IDisposable
{
    private readonly ModuleSession _session = new();
    private readonly OwnedListeners _owned;

    public WebSocketScriptTests() => _owned = new OwnedListeners(_session);

    public void Dispose()
    {
        _owned.Dispose();
        _session.Dispose();
    }

    [Fact]
    public async Task EchoesTextAndSeesTheConnection()
    {
        var url = Start("-WebSocketScriptBlock { \"echo:$Message\"; \"$($WebSocket.Id -gt 0)|$($WebSocket.Listener -eq $WebSocket.Request.Path.Trim('/'))|$($WebSocket.RemoteEndPoint.Address)|$($WebSocket.State)\" }", "echo", path: "echo");
        using var client = await WebSocketClient.ConnectAsync(url + "?x=1");

        await client.SendAsync("héllo");

        Assert.Equal("echo:héllo", await client.ReceiveTextAsync());
        Assert.Matches(@"^True\|(True|False)\|(127\.0\.0\.1|::1)\|Open$", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task SendsObjectsAsJsonAndStringsAsText()
    {
        var url = Start("-WebSocketScriptBlock { [pscustomobject]@{ b = 2; a = @(1, 'x') }; 'plain'; 42; $null }");
        using var client = await WebSocketClient.ConnectAsync(url);

        await client.SendAsync("go");

        Assert.Equal("{\"b\":2,\"a\":[1,\"x\"]}", await client.ReceiveTextAsync());
        Assert.Equal("plain", await client.ReceiveTextAsync());
        Assert.Equal("42", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task HandsBinaryMessagesAsBytesAndSendsBytesAsBinary()
    {
        var url = Start("-WebSocketScriptBlock { $Message.GetType().Name; ,[byte[]]($Message | ForEach-Object { $_ + 1 }); $WebSocket.Send([byte[]](9, 8)) }");
        using var client = await WebSocketClient.ConnectAsync(url);

        await client.SendAsync(new byte[] { 1, 2, 3 });

        // $WebSocket.Send sends at once; the output goes when the script has ended.
        var sent = await client.ReceiveAsync();
        Assert.Equal("Byte[]", await client.ReceiveTextAsync());
        var output = await client.ReceiveAsync();
        Assert.Equal((WebSocketMessageType.Binary, "9,8"), (sent.Type, string.Join(',', sent.Payload)));
        Assert.Equal((WebSocketMessageType.Binary, "2,3,4"), (output.Type, string.Join(',', output.Payload)));
    }

    [Fact]
    public async Task HandlesTheMessagesOfOneSocketOneAtATimeInOrder()
    {
        var counter = new InFlightCounter();
        var name = _owned.Name("wsorder");
        var url = _session.Run(
            "(New-HttpSysListener -Name $args[0] -UrlPrefix 'http://localhost:0/' -Start -ThrottleLimit 4 -Variable @{ counter = $args[1] } " +
            "-WebSocketScriptBlock { $counter.Enter(); try { $Message } finally { $counter.Exit() } }).BoundUrl[0]",
            name, counter).Single<string>();
        using var client = await WebSocketClient.ConnectAsync(url);

        // All sent before any answer is read: the server has them queued while the first scripts run.
        var sent = Enumerable.Range(0, 300).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        foreach (var message in sent)
        {
            await client.SendAsync(message);
        }

        var received = new List<string>();
        for (var i = 0; i < sent.Length; i++)
        {
            received.Add(await client.ReceiveTextAsync());
        }

        Assert.Equal(sent, received);
        Assert.Equal(1, counter.Max);
    }

    [Fact]
    public async Task RunsSeveralSocketsOnThePoolAtOnce()
    {
        var probe = new ConcurrencyProbe();
        var name = _owned.Name("wspool");
        var url = _session.Run(
            "(New-HttpSysListener -Name $args[0] -UrlPrefix 'http://localhost:0/' -Start -ThrottleLimit 2 -Variable @{ probe = $args[1] } " +
            "-WebSocketScriptBlock { $null = $probe.Enter(); \"done $Message\" }).BoundUrl[0]",
            name, probe).Single<string>();
        using var first = await WebSocketClient.ConnectAsync(url);
        using var second = await WebSocketClient.ConnectAsync(url);

        await first.SendAsync("1");
        await second.SendAsync("2");
        await probe.WhenEntered(2).WaitAsync(TimeSpan.FromSeconds(60));
        probe.Release();

        Assert.Equal("done 1", await first.ReceiveTextAsync());
        Assert.Equal("done 2", await second.ReceiveTextAsync());
        Assert.Equal(2, probe.Max);
    }

    [Fact]
    public async Task ReportsAScriptErrorAndKeepsTheSocketOpen()
    {
        var name = _owned.Name("wserr");
        var url = _session.Run(
            "(New-HttpSysListener -Name $args[0] -UrlPrefix 'http://localhost:0/' -Start -WebSocketScriptBlock { if ($Message -eq 'boom') { throw 'kaboom' }; Write-Error 'soft'; \"ok $Message\" }).BoundUrl[0]",
            name).Single<string>();
        using var client = await WebSocketClient.ConnectAsync(url);

        await client.SendAsync("boom");
        await client.SendAsync("next");

        Assert.Equal("ok next", await client.ReceiveTextAsync());
        Assert.Equal(WebSocketState.Open, client.Socket.State);

        // A stopped listener's wait returns at once, writing what its buffer kept (the client answers the stop's 1001).
        var closing = client.ReceiveAsync();
        var errors = _session.Run("Stop-HttpSysListener -Name $args[0]; Wait-HttpSysListener -Name $args[0]", name).Errors;
        Assert.Equal(WebSocketMessageType.Close, (await closing).Type);
        Assert.Equal(2, errors.Length);
        Assert.Contains("kaboom", errors[0].ToString());
        Assert.Contains("soft", errors[1].ToString());
    }

    [Fact]
    public async Task NegotiatesTheServersPreferredSubProtocolAmongTheOffered()
    {
        var url = Start("-WebSocketSubProtocol 'v2.chat', 'v1.chat' -WebSocketScriptBlock { \"$($WebSocket.SubProtocol)\" }");
        using var both = await WebSocketClient.ConnectAsync(url, "v1.chat", "v2.chat");
        using var one = await WebSocketClient.ConnectAsync(url, "v1.chat");
        using var none = await WebSocketClient.ConnectAsync(url);

        await both.SendAsync("?");
        await one.SendAsync("?");
        await none.SendAsync("?");

        Assert.Equal(("v2.chat", "v2.chat"), (both.Socket.SubProtocol, await both.ReceiveTextAsync()));
        Assert.Equal(("v1.chat", "v1.chat"), (one.Socket.SubProtocol, await one.ReceiveTextAsync()));
        Assert.Equal((null, string.Empty), (none.Socket.SubProtocol, await none.ReceiveTextAsync()));
    }

    [Fact]
    public async Task AnswersPlainRequestsToAWebSocketOnlyListenerWith426()
    {
        var url = Start("-WebSocketScriptBlock { $Message }");
        var raw = await GetWithConnectionCloseAsync(url);

        Assert.StartsWith("HTTP/1.1 426 ", raw);
        Assert.Contains("\r\nUpgrade: websocket\r\n", raw);
        Assert.Contains("WebSocket", raw[raw.IndexOf("\r\n\r\n", StringComparison.Ordinal)..]);
        Assert.Equal("WebSocketScriptBlock", _session.Run("(Get-HttpSysListener -Name $args[0]).HandlerKind.ToString()", _lastName).Single<string>());
    }

    [Fact]
    public async Task RunsTheHttpScriptBlockForPlainRequestsBesideTheWebSocketOne()
    {
        var url = Start("-ScriptBlock { 'http' } -WebSocketScriptBlock { \"ws $Message\" }");
        using var client = await WebSocketClient.ConnectAsync(url);

        await client.SendAsync("x");

        Assert.Equal("ws x", await client.ReceiveTextAsync());
        Assert.Equal((HttpStatusCode.OK, "http"), await Http.GetAsync(url));
        Assert.Equal("ScriptBlock", _session.Run("(Get-HttpSysListener -Name $args[0]).HandlerKind.ToString()", _lastName).Single<string>());
    }

    [Fact]
    public async Task ClosesAnOversizedMessageWith1009()
    {
        var url = Start("-WebSocketMaxMessageSize 16 -WebSocketScriptBlock { \"got $($Message.Length)\" }");
        using var client = await WebSocketClient.ConnectAsync(url);

        await client.SendAsync(new string('a', 16));
        Assert.Equal("got 16", await client.ReceiveTextAsync());
        await client.SendAsync(new string('a', 17));

        Assert.Equal(WebSocketMessageType.Close, (await client.ReceiveAsync()).Type);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, client.Socket.CloseStatus);
    }

    [Fact]
    public async Task SendsEveryOpenSocket1001WhenTheListenerStops()
    {
        var name = _owned.Name("wsstop");
        var url = _session.Run("(New-HttpSysListener -Name $args[0] -UrlPrefix 'http://localhost:0/' -Start -WebSocketScriptBlock { $Message }).BoundUrl[0]", name).Single<string>();
        using var first = await WebSocketClient.ConnectAsync(url);
        using var second = await WebSocketClient.ConnectAsync(url);
        await first.SendAsync("up");
        Assert.Equal("up", await first.ReceiveTextAsync());
        var closes = new[] { first.ReceiveAsync(), second.ReceiveAsync() };

        var stop = _session.Run("Stop-HttpSysListener -Name $args[0] -Timeout 30 -PassThru", name);

        Assert.Empty(stop.Errors);
        Assert.All(await Task.WhenAll(closes), c => Assert.Equal(WebSocketMessageType.Close, c.Type));
        Assert.All(new[] { first, second }, c => Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, c.Socket.CloseStatus));
    }

    [Theory]
    [InlineData("-WebSocketScriptBlock { param($x) $x }", "param block")]
    [InlineData("-WebSocketScriptBlock { $using:x }", "$using:x")]
    [InlineData("-WebSocketScriptBlock { 1 } -Variable @{ Message = 1 }", "'Message'")]
    [InlineData("-WebSocketScriptBlock { 1 } -WebSocketMaxMessageSize 0", "WebSocketMaxMessageSize")]
    [InlineData("-WebSocketScriptBlock { 1 } -WebSocketCloseTimeout 0", "WebSocketCloseTimeout")]
    public void RefusesWhatCannotWork(string parameters, string expected)
    {
        var name = _owned.Name("wsbad");
        var result = _session.Run($"try {{ New-HttpSysListener -Name $args[0] -UrlPrefix 'http://localhost:0/' {parameters} }} catch {{ Write-Error -ErrorRecord $_ }}", name);

        var error = Assert.Single(result.Errors);
        Assert.Contains(expected, error.ToString());
        Assert.Empty(_session.Run("Get-HttpSysListener -Name $args[0] -ErrorAction Ignore", name).Output);
    }

    private string _lastName = string.Empty;

    // The whole answer to a GET with Connection: close, as sent (the headers HttpClient would fold away included).
    private static async Task<string> GetWithConnectionCloseAsync(string url)
    {
        var uri = new Uri(url);
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"GET {uri.PathAndQuery} HTTP/1.1\r\nHost: {uri.Authority}\r\nConnection: close\r\n\r\n"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadToEndAsync();
    }

    // A started listener on a free port with these parameters; its bound URL (with the path, when given).
    private string Start(string parameters, string stem = "ws", string path = "")
    {
        _lastName = _owned.Name(stem);
        var prefix = path.Length == 0 ? "http://localhost:0/" : $"http://localhost:0/{path}/";
        var result = _session.Run($"New-HttpSysListener -Name $args[0] -UrlPrefix $args[1] -Start {parameters}", _lastName, prefix);
        Assert.True(result.Errors.Length == 0, string.Join(Environment.NewLine, result.Errors.Select(e => e.ToString())));
        return Assert.Single(result.Output).Strings("BoundUrl")[0];
    }
}
