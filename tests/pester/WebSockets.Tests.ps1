#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester tests of -WebSocketScriptBlock and the WebSocket session cmdlets, with the BCL's ClientWebSocket as the client
# (what a PowerShell user has at hand). Listeners take a free port on localhost; the store is a file under TestDrive:.

BeforeAll {
    $moduleDir = if ($env:HTTPSYSPS_MODULE_DIR) { $env:HTTPSYSPS_MODULE_DIR } else { Join-Path -Path $PSScriptRoot -ChildPath '../../artifacts/module/HttpSysPS' }
    $manifestPath = Join-Path -Path (Resolve-Path -LiteralPath $moduleDir).Path -ChildPath 'HttpSysPS.psd1'
    $savedConfig = $env:HTTPSYSPS_CONFIG
    $env:HTTPSYSPS_CONFIG = Join-Path -Path $TestDrive -ChildPath 'config.json'
    Import-Module -Name $manifestPath -Force -ErrorAction Stop

    # A hang guard only: every wait below ends when a message arrives.
    $script:guard = [TimeSpan]::FromSeconds(60)

    function Connect-TestWebSocket([string] $url, [string[]] $subProtocol = @()) {
        $client = [System.Net.WebSockets.ClientWebSocket]::new()
        foreach ($p in $subProtocol) { $client.Options.AddSubProtocol($p) }
        $client.ConnectAsync([uri]($url -replace '^http', 'ws'), [Threading.CancellationToken]::None).Wait($script:guard) | Should -BeTrue
        $client
    }

    function Send-TestMessage($client, $message) {
        $bytes, $type = if ($message -is [byte[]]) { $message, 'Binary' } else { [Text.Encoding]::UTF8.GetBytes([string]$message), 'Text' }
        $client.SendAsync([ArraySegment[byte]]::new($bytes), $type, $true, [Threading.CancellationToken]::None).Wait($script:guard) | Should -BeTrue
    }

    # Starts the receive of the next whole message; Receive-TestMessage completes it. A close is answered with its code.
    function Start-TestReceive($client) {
        $state = [pscustomobject]@{ Client = $client; Buffer = [byte[]]::new(65536); Data = [IO.MemoryStream]::new(); Task = $null }
        $state.Task = $client.ReceiveAsync([ArraySegment[byte]]::new($state.Buffer), [Threading.CancellationToken]::None)
        $state
    }

    function Receive-TestMessage($pending) {
        if ($pending -isnot [pscustomobject]) { $pending = Start-TestReceive $pending }
        while ($true) {
            $pending.Task.Wait($script:guard) | Should -BeTrue
            $result = $pending.Task.Result
            if ($result.MessageType -eq 'Close') {
                $c = $pending.Client
                if ($c.State -eq 'CloseReceived') { $c.CloseOutputAsync($c.CloseStatus, $c.CloseStatusDescription, [Threading.CancellationToken]::None).Wait($script:guard) | Out-Null }
                return [pscustomobject]@{ Type = 'Close'; Status = [int]$c.CloseStatus; Text = $c.CloseStatusDescription; Bytes = $null }
            }
            $pending.Data.Write($pending.Buffer, 0, $result.Count)
            if ($result.EndOfMessage) {
                $bytes = $pending.Data.ToArray()
                return [pscustomobject]@{ Type = [string]$result.MessageType; Status = $null; Text = [Text.Encoding]::UTF8.GetString($bytes); Bytes = $bytes }
            }
            $pending.Task = $pending.Client.ReceiveAsync([ArraySegment[byte]]::new($pending.Buffer), [Threading.CancellationToken]::None)
        }
    }
}

AfterAll {
    Get-HttpSysListener | Remove-HttpSysListener -Force -Confirm:$false
    Remove-Module -Name HttpSysPS -Force -ErrorAction Ignore
    $env:HTTPSYSPS_CONFIG = $savedConfig
}

Describe 'WebSockets from PowerShell' {
    AfterEach {
        Get-HttpSysListener | Remove-HttpSysListener -Force -Confirm:$false
    }

    It 'echoes text through the scriptblock and sends objects as JSON' {
        $listener = New-HttpSysListener -UrlPrefix 'http://localhost:0/ws/' -Name echo -Start -WebSocketSubProtocol chat -WebSocketScriptBlock {
            "echo:$Message"
            [ordered]@{ id = $WebSocket.Id; protocol = $WebSocket.SubProtocol; path = $WebSocket.Request.Path }
        }
        $client = Connect-TestWebSocket $listener.BoundUrl[0] -subProtocol chat
        $client.SubProtocol | Should -Be 'chat'

        Send-TestMessage $client 'hello'
        (Receive-TestMessage $client).Text | Should -Be 'echo:hello'
        $json = (Receive-TestMessage $client).Text | ConvertFrom-Json
        $json.protocol | Should -Be 'chat'
        $json.path | Should -Be '/ws/'
        $json.id | Should -Be (Get-HttpSysWebSocket -Name echo).Id
        $client.Dispose()
    }

    It 'hands binary messages as byte[] and sends byte[] back as binary' {
        $listener = New-HttpSysListener -UrlPrefix 'http://localhost:0/' -Name binary -Start -WebSocketScriptBlock { , [byte[]]($Message | ForEach-Object { $_ * 2 }) }
        $client = Connect-TestWebSocket $listener.BoundUrl[0]

        Send-TestMessage $client ([byte[]](1, 2, 3))
        $reply = Receive-TestMessage $client
        $reply.Type | Should -Be 'Binary'
        $reply.Bytes | Should -Be @(2, 4, 6)
        $client.Dispose()
    }

    It 'handles many messages of one socket in order' {
        $listener = New-HttpSysListener -UrlPrefix 'http://localhost:0/' -Name order -Start -ThrottleLimit 4 -WebSocketScriptBlock { $Message }
        $client = Connect-TestWebSocket $listener.BoundUrl[0]
        $sent = 1..200 | ForEach-Object { "m$_" }
        foreach ($m in $sent) { Send-TestMessage $client $m }

        $received = foreach ($m in $sent) { (Receive-TestMessage $client).Text }
        $received | Should -Be $sent
        $client.Dispose()
    }

    It 'broadcasts to every client of a listener, from the session and from a message script' {
        $listener = New-HttpSysListener -UrlPrefix 'http://localhost:0/chat/' -Name chat -Start -WebSocketScriptBlock {
            Send-HttpSysWebSocketMessage -Name $WebSocket.Listener -Message "$($WebSocket.Id): $Message"
        }
        $clients = 1..3 | ForEach-Object { Connect-TestWebSocket $listener.BoundUrl[0] }

        Send-HttpSysWebSocketMessage -Name chat -Message @{ notice = 'welcome' } -PassThru | Should -Be 3
        foreach ($c in $clients) { ((Receive-TestMessage $c).Text | ConvertFrom-Json).notice | Should -Be 'welcome' }

        Send-TestMessage $clients[0] 'hi'
        $firstId = (Get-HttpSysWebSocket -Name chat)[0].Id
        foreach ($c in $clients) { (Receive-TestMessage $c).Text | Should -Be "${firstId}: hi" }
        $clients | ForEach-Object { $_.Dispose() }
    }

    It 'lists sockets with Get-HttpSysWebSocket and closes them with a status and reason' {
        $listener = New-HttpSysListener -UrlPrefix 'http://localhost:0/' -Name closing -Start -WebSocketCloseTimeout 1 -WebSocketScriptBlock { $Message }
        $client = Connect-TestWebSocket $listener.BoundUrl[0]
        $socket = Get-HttpSysWebSocket -Name closing
        @($socket).Count | Should -Be 1
        $socket.State | Should -Be 'Open'
        ($socket | Out-String) | Should -Match 'closing\s+Open'

        $pending = Start-TestReceive $client
        $closed = $socket | Close-HttpSysWebSocket -Status 4000 -Reason 'bye' -PassThru
        $close = Receive-TestMessage $pending
        $close.Type | Should -Be 'Close'
        $close.Status | Should -Be 4000
        $close.Text | Should -Be 'bye'
        # This one thread answers the close only after the cmdlet returned, so the server waited its close timeout
        # (1 s here) and dropped the connection: Aborted, not Closed (tests/HttpSysPS.PowerShell.Tests sees Closed).
        $closed.State | Should -BeIn 'Closed', 'Aborted'
        $closed.Id | Should -Be $socket.Id
        $client.Dispose()
    }

    It 'reports a script error, keeps the socket open, and answers the next message' {
        $listener = New-HttpSysListener -UrlPrefix 'http://localhost:0/' -Name broken -Start -WebSocketCloseTimeout 1 -WebSocketScriptBlock { if ($Message -eq 'boom') { throw 'message broke' }; "ok $Message" }
        $client = Connect-TestWebSocket $listener.BoundUrl[0]
        Send-TestMessage $client 'boom'
        Send-TestMessage $client 'next'
        (Receive-TestMessage $client).Text | Should -Be 'ok next'

        $pending = Start-TestReceive $client
        Stop-HttpSysListener -Name broken
        (Receive-TestMessage $pending).Type | Should -Be 'Close'
        Wait-HttpSysListener -Name broken -ErrorVariable listenerErrors -ErrorAction SilentlyContinue
        @($listenerErrors).Count | Should -Be 1
        $listenerErrors[0].ToString() | Should -BeLike '*message broke*'
        $client.Dispose()
    }

    It 'closes open sockets with 1001 when the listener stops' {
        $listener = New-HttpSysListener -UrlPrefix 'http://localhost:0/' -Name stopping -Start -WebSocketCloseTimeout 1 -WebSocketScriptBlock { $Message }
        $client = Connect-TestWebSocket $listener.BoundUrl[0]
        $pending = Start-TestReceive $client

        Stop-HttpSysListener -Name stopping
        $close = Receive-TestMessage $pending
        $close.Type | Should -Be 'Close'
        $close.Status | Should -Be 1001
        $client.Dispose()
    }

    It 'answers a plain request to a WebSocket-only listener with 426 and Upgrade: websocket' {
        $listener = New-HttpSysListener -UrlPrefix 'http://localhost:0/' -Name upgrade -Start -WebSocketScriptBlock { $Message }
        $response = Invoke-WebRequest -Uri $listener.BoundUrl[0] -SkipHttpErrorCheck
        $response.StatusCode | Should -Be 426
        $response.Headers['Upgrade'] | Should -Be 'websocket'
    }
}
