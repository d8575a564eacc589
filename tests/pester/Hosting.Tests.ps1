#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester 5 tests of the listener cmdlets, for machines with pwsh (none of our build machines has it).
# Every listener listens on http://localhost:0/ (a free port, allowed without a URL reservation) and the configuration
# store is a file under TestDrive:, so the machine store is neither read nor watched.

BeforeAll {
    $moduleDir = if ($env:HTTPSYSPS_MODULE_DIR) { $env:HTTPSYSPS_MODULE_DIR } else { Join-Path -Path $PSScriptRoot -ChildPath '../../artifacts/module/HttpSysPS' }
    $manifestPath = Join-Path -Path (Resolve-Path -LiteralPath $moduleDir).Path -ChildPath 'HttpSysPS.psd1'
    $savedConfig = $env:HTTPSYSPS_CONFIG
    $env:HTTPSYSPS_CONFIG = Join-Path -Path $TestDrive -ChildPath 'config.json'
    $module = Import-Module -Name $manifestPath -Force -PassThru -ErrorAction Stop

    function Get-Port([string] $url) {
        ([uri]$url).Port
    }

    function Test-PortFree([int] $port) {
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, $port)
        try {
            $probe.Start()
            $true
        }
        catch [System.Net.Sockets.SocketException] {
            $false
        }
        finally {
            $probe.Stop()
        }
    }
}

AfterAll {
    Get-HttpSysListener | Remove-HttpSysListener -Force -Confirm:$false
    Remove-Module -Name HttpSysPS -Force -ErrorAction Ignore
    $env:HTTPSYSPS_CONFIG = $savedConfig
}

Describe 'HttpSysPS listener cmdlets' {
    AfterEach {
        Get-HttpSysListener | Remove-HttpSysListener -Force -Confirm:$false
    }

    It 'imports and exports exactly the cmdlets of the manifest' {
        $expected = @((Import-PowerShellDataFile -LiteralPath $manifestPath).CmdletsToExport | Sort-Object)
        @($module.ExportedCmdlets.Keys | Sort-Object) | Should -Be $expected
        foreach ($name in 'New-HttpSysListener', 'Start-HttpSysListener', 'Stop-HttpSysListener', 'Get-HttpSysListener',
            'Remove-HttpSysListener', 'Wait-HttpSysListener', 'Get-HttpSysRequestQueue') {
            $expected | Should -Contain $name
        }
    }

    It 'answers Invoke-RestMethod on port 0 with the JSON of a hashtable' {
        $listener = New-HttpSysListener -UrlPrefix 'http://localhost:0/api/' -Name json -Start -ScriptBlock {
            @{ path = $Request.Path; method = $Request.Method; answer = 42 }
        }
        $listener.State | Should -Be 'Started'
        $listener.UrlPrefix[0] | Should -Be 'http://localhost:0/api/'
        $port = Get-Port $listener.BoundUrl[0]
        $port | Should -BeGreaterThan 0

        $response = Invoke-WebRequest -Uri "http://localhost:$port/api/items" -SkipHttpErrorCheck
        $response.StatusCode | Should -Be 200
        $response.Headers['Content-Type'] | Should -Be 'application/json; charset=utf-8'

        $body = Invoke-RestMethod -Uri "http://localhost:$port/api/items"
        $body.path | Should -Be '/api/items'
        $body.method | Should -Be 'GET'
        $body.answer | Should -Be 42
    }

    It 'answers strings as text/plain and [pscustomobject] as JSON' {
        $text = New-HttpSysListener -UrlPrefix 'http://localhost:0/' -Name text -Start -ScriptBlock { 'line 1'; 'line 2' }
        $response = Invoke-WebRequest -Uri $text.BoundUrl[0]
        $response.Headers['Content-Type'] | Should -Be 'text/plain; charset=utf-8'
        $response.Content | Should -Be "line 1`nline 2"

        $object = New-HttpSysListener -UrlPrefix 'http://localhost:0/' -Name object -Start -ScriptBlock { [pscustomobject]@{ b = 2; a = 1 } }
        (Invoke-WebRequest -Uri $object.BoundUrl[0]).Content | Should -Be '{"b":2,"a":1}'
    }

    It 'keeps the status code and headers the script sets' {
        $listener = New-HttpSysListener -UrlPrefix 'http://localhost:0/' -Name status -Start -ScriptBlock {
            $Response.StatusCode = 201
            $Response.Headers['X-Handled-By'] = 'pester'
            'created'
        }
        $response = Invoke-WebRequest -Uri $listener.BoundUrl[0] -SkipHttpErrorCheck
        $response.StatusCode | Should -Be 201
        $response.Headers['X-Handled-By'] | Should -Be 'pester'
        $response.Content | Should -Be 'created'
    }

    It 'answers a scriptblock error with 500 and no detail, and keeps the error for Wait-HttpSysListener' {
        $listener = New-HttpSysListener -UrlPrefix 'http://localhost:0/' -Name failing -Start -ScriptBlock { throw 'handler broke' }
        $response = Invoke-WebRequest -Uri $listener.BoundUrl[0] -SkipHttpErrorCheck
        $response.StatusCode | Should -Be 500
        $response.Content | Should -BeNullOrEmpty

        Stop-HttpSysListener -Name failing -Timeout 0
        Wait-HttpSysListener -Name failing -ErrorVariable listenerErrors -ErrorAction SilentlyContinue
        @($listenerErrors).Count | Should -Be 1
        $listenerErrors[0].ToString() | Should -BeLike '*handler broke*'
    }

    It 'sends the error text only with -IncludeErrorDetail' {
        $listener = New-HttpSysListener -UrlPrefix 'http://localhost:0/' -Name detailed -Start -IncludeErrorDetail -ScriptBlock { throw 'handler broke' }
        $response = Invoke-WebRequest -Uri $listener.BoundUrl[0] -SkipHttpErrorCheck
        $response.StatusCode | Should -Be 500
        $response.Content | Should -BeLike '*handler broke*'
    }

    It 'makes -Variable, -ImportModule and -InitializationScript visible in the handler' {
        $modulePath = Join-Path -Path $TestDrive -ChildPath 'Greeter.psm1'
        Set-Content -LiteralPath $modulePath -Value 'function Get-Greeting { param($Name) "Hello, $Name" }'
        $shared = [System.Collections.Concurrent.ConcurrentQueue[string]]::new()
        $listener = New-HttpSysListener -UrlPrefix 'http://localhost:0/' -Name state -Start -ThrottleLimit 2 `
            -Variable @{ Who = 'Pester'; Counts = $shared } -ImportModule $modulePath `
            -InitializationScript { $suffix = '!' } -ScriptBlock {
                $Counts.Enqueue($Request.Path)
                (Get-Greeting -Name $Who) + $suffix
            }

        Invoke-RestMethod -Uri $listener.BoundUrl[0] | Should -Be 'Hello, Pester!'
        Invoke-RestMethod -Uri $listener.BoundUrl[0] | Should -Be 'Hello, Pester!'
        $shared.Count | Should -Be 2
    }

    It 'refuses $using: with a message pointing to -Variable' {
        $value = 1
        { New-HttpSysListener -UrlPrefix 'http://localhost:0/' -Name using -ScriptBlock { $using:value } -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,HttpSysPS.Cmdlets.NewHttpSysListenerCommand'
        Get-HttpSysListener -Name using -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'reports a second listener with the same name as AlreadyExists' {
        New-HttpSysListener -UrlPrefix 'http://localhost:0/' -Name twice -ScriptBlock { 'a' } | Out-Null
        { New-HttpSysListener -UrlPrefix 'http://localhost:0/' -Name twice -ScriptBlock { 'b' } -ErrorAction Stop } |
            Should -Throw -ErrorId 'AlreadyExists,HttpSysPS.Cmdlets.NewHttpSysListenerCommand'
    }

    It 'creates nothing with -WhatIf' {
        New-HttpSysListener -UrlPrefix 'http://localhost:0/' -Name whatif -ScriptBlock { 'a' } -WhatIf
        Get-HttpSysListener -Name whatif -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'frees the port on Stop, serves again on Start, and frees it on Remove through the pipeline' {
        $listener = New-HttpSysListener -UrlPrefix 'http://localhost:0/' -Name cycle -Start -ScriptBlock { 'up' }
        $port = Get-Port $listener.BoundUrl[0]
        Test-PortFree $port | Should -BeFalse

        $stopped = Get-HttpSysListener -Name cycle | Stop-HttpSysListener -Timeout 5 -PassThru
        $stopped.State | Should -Be 'Stopped'
        $stopped.BoundUrl.Count | Should -Be 0
        Test-PortFree $port | Should -BeTrue

        $started = Start-HttpSysListener -Name cycle -PassThru
        $newPort = Get-Port $started.BoundUrl[0]
        Invoke-RestMethod -Uri "http://localhost:$newPort/" | Should -Be 'up'

        Get-HttpSysListener -Name cycle | Remove-HttpSysListener
        Get-HttpSysListener -Name cycle -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Test-PortFree $newPort | Should -BeTrue
    }

    It 'reports live queue counters' {
        $listener = New-HttpSysListener -UrlPrefix 'http://localhost:0/' -Name counted -Start -ThrottleLimit 3 -RequestQueueLimit 50 -ScriptBlock { 'x' }
        1..3 | ForEach-Object { Invoke-RestMethod -Uri $listener.BoundUrl[0] | Out-Null }
        $queue = Get-HttpSysRequestQueue -Name counted
        $queue.Completed | Should -Be 3
        $queue.MaxConcurrentRequests | Should -Be 3
        $queue.Limit | Should -Be 50
    }

    It 'serves a compiled handler and static files' -Skip:(-not (Test-Path -LiteralPath (Join-Path $PSScriptRoot '../../samples/HelloHandler/bin/Debug/net8.0/HelloHandler.dll'))) {
        $assembly = Join-Path $PSScriptRoot '../../samples/HelloHandler/bin/Debug/net8.0/HelloHandler.dll'
        $compiled = New-HttpSysListener -UrlPrefix 'http://localhost:0/' -Name compiled -Start -HandlerAssembly $assembly -HandlerType 'HelloHandler.HelloHandler'
        $compiled.HandlerKind | Should -Be 'Compiled'
        Invoke-RestMethod -Uri $compiled.BoundUrl[0] | Should -Be 'Hello, World!'

        $site = Join-Path $PSScriptRoot '../../samples/site'
        $static = New-HttpSysListener -UrlPrefix 'http://localhost:0/' -Name static -Start -StaticRoot $site
        (Invoke-WebRequest -Uri $static.BoundUrl[0]).Headers['Content-Type'] | Should -BeLike 'text/html*'
    }
}
