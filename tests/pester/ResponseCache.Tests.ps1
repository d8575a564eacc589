#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester tests of Get-/Clear-HttpSysResponseCache against the staged module: a scriptblock listener on
# http://localhost:0/ answers a new GUID per call with Cache-Control: public, so the same body twice is a cache hit and
# a new one a miss. The configuration store is a file under TestDrive:.

BeforeAll {
    $moduleDir = if ($env:HTTPSYSPS_MODULE_DIR) { $env:HTTPSYSPS_MODULE_DIR } else { Join-Path -Path $PSScriptRoot -ChildPath '../../artifacts/module/HttpSysPS' }
    $manifestPath = Join-Path -Path (Resolve-Path -LiteralPath $moduleDir).Path -ChildPath 'HttpSysPS.psd1'
    $savedConfig = $env:HTTPSYSPS_CONFIG
    $env:HTTPSYSPS_CONFIG = Join-Path -Path $TestDrive -ChildPath 'config.json'
    Import-Module -Name $manifestPath -Force -ErrorAction Stop
}

AfterAll {
    Get-HttpSysListener | Remove-HttpSysListener -Force -Confirm:$false
    Remove-Module -Name HttpSysPS -Force -ErrorAction Ignore
    $env:HTTPSYSPS_CONFIG = $savedConfig
}

Describe 'The response cache from PowerShell' {
    BeforeEach {
        $listener = New-HttpSysListener -UrlPrefix 'http://localhost:0/c/' -Name cache -Start -ScriptBlock {
            $Response.Headers['Cache-Control'] = 'public, max-age=60'
            [guid]::NewGuid().ToString()
        }
        $page = $listener.BoundUrl[0] + 'page'
        $first = Invoke-RestMethod -Uri $page
        Invoke-RestMethod -Uri $page | Should -Be $first
    }

    AfterEach {
        Get-HttpSysListener | Remove-HttpSysListener -Force -Confirm:$false
    }

    It 'lists the cached response with its size and expiry' {
        $entry = Get-HttpSysResponseCache -Name cache
        $entry.Url | Should -Be $page
        $entry.Listener | Should -Be 'cache'
        $entry.StatusCode | Should -Be 200
        $entry.BodyBytes | Should -Be $first.Length
        $entry.Hits | Should -Be 1
        $entry.Expires | Should -BeGreaterThan ([datetime]::UtcNow)
        ($entry | Out-String) | Should -Match 'Listener\s+Status\s+Bytes\s+Hits\s+TTL\(s\)\s+Url'
    }

    It '-WhatIf keeps the entry; clearing it makes the next request miss' {
        Clear-HttpSysResponseCache -Url $page -WhatIf
        Invoke-RestMethod -Uri $page | Should -Be $first

        Get-HttpSysResponseCache -Name cache | Clear-HttpSysResponseCache -Confirm:$false -PassThru | Should -Be 1
        Get-HttpSysResponseCache -Name cache | Should -BeNullOrEmpty
        Invoke-RestMethod -Uri $page | Should -Not -Be $first
    }
}
