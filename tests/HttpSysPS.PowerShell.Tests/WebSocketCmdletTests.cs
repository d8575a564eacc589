using System.Net.WebSockets;
using HttpSysPS.PowerShell.Tests.Infrastructure;

namespace HttpSysPS.PowerShell.Tests;

/// <summary>
/// Get-HttpSysWebSocket, Send-HttpSysWebSocketMessage and Close-HttpSysWebSocket from a session, against sockets that
/// ClientWebSocket opened: listing, one socket, broadcast (also from inside a message script), close codes, errors.
/// </summary>
public sealed class WebSocketCmdletTests : IDisposable
{
    private readonly ModuleSession _session = new();
    private readonly OwnedListeners _owned;

    public WebSocketCmdletTests() => _owned = new OwnedListeners(_session);

    public void Dispose()
    {
        _owned.Dispose();
        _session.Dispose();
    }

    [Fact]
    public async Task GetListsTheOpenSocketsOfAListenerOldestFirst()
    {
        var (name, url) = Start("-WebSocketSubProtocol chat -WebSocketScriptBlock { $Message }");
        using var first = await WebSocketClient.ConnectAsync(url + "room?id=1", "chat");
        using var second = await WebSocketClient.ConnectAsync(url);

        var sockets = _session.Run("Get-HttpSysWebSocket -Name $args[0]", name).Output;

        Assert.Equal(2, sockets.Count);
        Assert.True(sockets[0].Get<ulong>("Id") < sockets[1].Get<ulong>("Id"));
        Assert.All(sockets, s => Assert.Equal(name, s.Get<string>("Listener")));
        Assert.All(sockets, s => Assert.Equal("Open", s.Get<string>("State")));
        Assert.Equal(["chat", null], sockets.Select(s => (string?)s.Properties["SubProtocol"].Value));
        Assert.Equal("/room?id=1", _session.Run("(Get-HttpSysWebSocket -Name $args[0])[0].Request.RawUrl", name).Single<string>());
        var id = sockets[1].Get<ulong>("Id");
        Assert.Equal(id, _session.Run("(Get-HttpSysWebSocket -Id $args[0]).Id", id).Single<ulong>());
    }

    [Fact]
    public void GetReportsAnIdThatIsNotOpenAsNotFound()
    {
        var result = _session.Run("Get-HttpSysWebSocket -Id 18446744073709551615");

        Assert.Empty(result.Output);
        Assert.StartsWith("NotFound,", Assert.Single(result.Errors).FullyQualifiedErrorId);
    }

    [Fact]
    public async Task SendsToOneSocketFromThePipelineOrById()
    {
        var (name, url) = Start("-WebSocketScriptBlock { $Message }");
        using var first = await WebSocketClient.ConnectAsync(url);
        using var second = await WebSocketClient.ConnectAsync(url);
        var ids = _session.Run("(Get-HttpSysWebSocket -Name $args[0]).Id", name).Output.Select(o => (ulong)o.BaseObject).ToArray();

        var piped = _session.Run("Get-HttpSysWebSocket -Id $args[0] | Send-HttpSysWebSocketMessage 'to first' -PassThru", ids[0]);
        var byId = _session.Run("Send-HttpSysWebSocketMessage -Id $args[0] -Message @{ n = 2 }", ids[1]);

        Assert.Equal(1, piped.Single<int>());
        Assert.Empty(byId.Errors);
        Assert.Equal("to first", await first.ReceiveTextAsync());
        Assert.Equal("{\"n\":2}", await second.ReceiveTextAsync());
    }

    [Fact]
    public async Task BroadcastsToEverySocketOfAListener()
    {
        var (name, url) = Start("-WebSocketScriptBlock { $Message }");
        var clients = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => WebSocketClient.ConnectAsync(url)));
        try
        {
            var sent = _session.Run("Send-HttpSysWebSocketMessage -Name $args[0] -Message 'all' -PassThru", name);
            var bytes = _session.Run("Get-HttpSysListener -Name $args[0] | Send-HttpSysWebSocketMessage -Message ([byte[]](1, 2)) -PassThru", name);
            var asBinary = _session.Run("'text' | Send-HttpSysWebSocketMessage -Name $args[0] -AsBinary", name);

            Assert.Equal(3, sent.Single<int>());
            Assert.Equal(3, bytes.Single<int>());
            Assert.Empty(asBinary.Errors);
            foreach (var client in clients)
            {
                Assert.Equal("all", await client.ReceiveTextAsync());
                var binary = await client.ReceiveAsync();
                Assert.Equal((WebSocketMessageType.Binary, "1,2"), (binary.Type, string.Join(',', binary.Payload)));
                var text = await client.ReceiveAsync();
                Assert.Equal((WebSocketMessageType.Binary, "text"), (text.Type, System.Text.Encoding.UTF8.GetString(text.Payload)));
            }
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    [Fact]
    public async Task AMessageScriptBroadcastsWithTheCmdlet()
    {
        // The chat of docs/websockets.md: the listener's runspaces have the session cmdlets without importing the module.
        var (name, url) = Start("-WebSocketScriptBlock { Send-HttpSysWebSocketMessage -Name $WebSocket.Listener -Message ([ordered]@{ from = $WebSocket.Id; text = $Message }) }");
        using var alice = await WebSocketClient.ConnectAsync(url);
        var aliceId = _session.Run("(Get-HttpSysWebSocket -Name $args[0]).Id", name).Single<ulong>();
        using var bob = await WebSocketClient.ConnectAsync(url);

        await alice.SendAsync("hi all");

        var expected = $"{{\"from\":{aliceId},\"text\":\"hi all\"}}";
        Assert.Equal(expected, await alice.ReceiveTextAsync());
        Assert.Equal(expected, await bob.ReceiveTextAsync());
    }

    [Fact]
    public async Task WhatIfSendsNothing()
    {
        var (name, url) = Start("-WebSocketScriptBlock { $Message }");
        using var client = await WebSocketClient.ConnectAsync(url);

        _session.Run("Send-HttpSysWebSocketMessage -Name $args[0] -Message 'not sent' -WhatIf; Send-HttpSysWebSocketMessage -Name $args[0] -Message 'sent'", name);

        Assert.Equal("sent", await client.ReceiveTextAsync());
    }

    [Fact]
    public async Task ClosesWithTheGivenStatusAndReason()
    {
        var (name, url) = Start("-WebSocketScriptBlock { $Message }");
        using var client = await WebSocketClient.ConnectAsync(url);
        var closing = client.ReceiveAsync();

        var closed = _session.Run("Get-HttpSysWebSocket -Name $args[0] | Close-HttpSysWebSocket -Status 4001 -Reason 'kicked' -PassThru", name);

        Assert.Equal(WebSocketMessageType.Close, (await closing).Type);
        Assert.Equal(((WebSocketCloseStatus)4001, "kicked"), (client.Socket.CloseStatus, client.Socket.CloseStatusDescription));
        Assert.Equal("Closed", Assert.Single(closed.Output).Get<string>("State"));
    }

    [Fact]
    public async Task AScriptClosesItsOwnSocket()
    {
        var (_, url) = Start("-WebSocketScriptBlock { if ($Message -eq 'bye') { $WebSocket.Close(1000, 'see you') } else { $Message } }");
        using var client = await WebSocketClient.ConnectAsync(url);
        await client.SendAsync("still here");
        Assert.Equal("still here", await client.ReceiveTextAsync());

        // The server's close waits for the client's answer, which this receive gives.
        await client.SendAsync("bye");

        Assert.Equal(WebSocketMessageType.Close, (await client.ReceiveAsync()).Type);
        Assert.Equal((WebSocketCloseStatus.NormalClosure, "see you"), (client.Socket.CloseStatus, client.Socket.CloseStatusDescription));
    }

    [Theory]
    [InlineData(1005)]
    [InlineData(1006)]
    [InlineData(1015)]
    [InlineData(2000)]
    public void RefusesCloseCodesAnEndpointMustNotSend(int status)
    {
        var result = _session.Run($"try {{ Close-HttpSysWebSocket -Id 1 -Status {status} }} catch {{ Write-Error -ErrorRecord $_ }}");

        Assert.Contains("1000-1003, 1007-1014 or 3000-4999", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public async Task SendingToAClosedSocketIsAnInvalidStateError()
    {
        var (name, url) = Start("-WebSocketScriptBlock { $Message }");
        using var client = await WebSocketClient.ConnectAsync(url);
        _session.Run("$global:kept = Get-HttpSysWebSocket -Name $args[0]", name);
        await client.CloseAsync();

        var result = _session.Run("$global:kept | Send-HttpSysWebSocketMessage -Message 'late'");

        Assert.StartsWith("InvalidState,", Assert.Single(result.Errors).FullyQualifiedErrorId);
    }

    private (string Name, string Url) Start(string parameters)
    {
        var name = _owned.Name("wscmd");
        var result = _session.Run($"New-HttpSysListener -Name $args[0] -UrlPrefix 'http://localhost:0/' -Start {parameters}", name);
        Assert.True(result.Errors.Length == 0, string.Join(Environment.NewLine, result.Errors.Select(e => e.ToString())));
        return (name, Assert.Single(result.Output).Strings("BoundUrl")[0]);
    }
}
