# Pester tests of the class-based DSC resources (HttpSysPS.DscResources.psm1). Invoke-DscResource needs
# PSDesiredStateConfiguration, which cannot be installed here, so the tests do what it does: create the
# [DscResource()] class, set its properties, and call Test, Set and Get. Every test uses its own store under TestDrive.
BeforeAll {
    $manifest = Join-Path $PSScriptRoot '../../artifacts/module/HttpSysPS/HttpSysPS.psd1'
    $module = Import-Module $manifest -Force -PassThru
    # Classes are visible in the module that defines them; a scriptblock run in that module creates them.
    $script:dsc = $module.NestedModules | Where-Object Name -eq 'HttpSysPS.DscResources'

    function New-DscResource([string] $Class, [hashtable] $Property) {
        $resource = & $script:dsc ([scriptblock]::Create("[$Class]::new()"))
        foreach ($name in $Property.Keys) {
            $resource.$name = $Property[$name]
        }
        $resource
    }
}

Describe 'Class-based DSC resources' {
    It 'are exported by the manifest and carry [DscResource()]' {
        $module = Get-Module HttpSysPS
        $module.ExportedDscResources | Sort-Object | Should -Be @('HttpSysSslBinding', 'HttpSysTimeout', 'HttpSysUrlReservation')
        foreach ($class in $module.ExportedDscResources) {
            $type = & $script:dsc ([scriptblock]::Create("[$class]"))
            $type.CustomAttributes.AttributeType.FullName | Should -Contain 'System.Management.Automation.DscResourceAttribute'
            @($type.GetMethods().Name) | Should -Contain 'Get'
            @($type.GetMethods().Name) | Should -Contain 'Test'
            @($type.GetMethods().Name) | Should -Contain 'Set'
        }
    }
}

Describe 'HttpSysUrlReservation' {
    BeforeEach {
        $store = Join-Path $TestDrive "reservation-$([guid]::NewGuid()).json"
    }

    It 'tests false, sets, tests true, and a second Set changes nothing' {
        $resource = New-DscResource HttpSysUrlReservation @{ Url = 'HTTP://+:8080/api'; User = @('svc', 'group:web'); ConfigPath = $store }
        $resource.Test() | Should -BeFalse
        $resource.Get().Ensure | Should -Be 'Absent'

        $resource.Set()
        $resource.Test() | Should -BeTrue
        $bytes = [System.IO.File]::ReadAllBytes($store)
        $resource.Set()
        [System.IO.File]::ReadAllBytes($store) | Should -Be $bytes

        $state = $resource.Get()
        $state.Ensure | Should -Be 'Present'
        $state.Url | Should -Be 'http://+:8080/api/'
        $state.User | Sort-Object | Should -Be @('group:web', 'user:svc')
        $state.Listen | Should -BeTrue
        $state.Delegate | Should -BeFalse
        # What the cmdlets see is what the resource wrote.
        (Get-UrlReservation -ConfigPath $store).Url.FullPrefix | Should -Be 'http://+:8080/api/'
    }

    It 'replaces a different ACL and removes with Ensure Absent' {
        Add-UrlReservation -Url 'http://+:8080/' -User 'svc' -ConfigPath $store
        $resource = New-DscResource HttpSysUrlReservation @{ Url = 'http://+:8080/'; User = 'svc'; Delegate = $true; ConfigPath = $store }
        $resource.Test() | Should -BeFalse
        $resource.Set()
        (Get-UrlReservation -ConfigPath $store).Acl[0].Delegate | Should -BeTrue

        $absent = New-DscResource HttpSysUrlReservation @{ Url = 'http://+:8080/'; Ensure = 'Absent'; ConfigPath = $store }
        $absent.Test() | Should -BeFalse
        $absent.Set()
        $absent.Test() | Should -BeTrue
        Get-UrlReservation -ConfigPath $store | Should -BeNullOrEmpty
    }

    It 'fails with the engine reason and leaves the store alone' {
        Add-UrlReservation -Url 'http://+:8080/' -User 'svc' -ConfigPath $store
        $bytes = [System.IO.File]::ReadAllBytes($store)
        $conflict = New-DscResource HttpSysUrlReservation @{ Url = 'https://+:8080/'; User = 'svc'; ConfigPath = $store }
        { $conflict.Set() } | Should -Throw -ExpectedMessage '*cannot share a port*'
        { (New-DscResource HttpSysUrlReservation @{ Url = 'http//bad'; User = 'svc'; ConfigPath = $store }).Test() } | Should -Throw
        [System.IO.File]::ReadAllBytes($store) | Should -Be $bytes
    }
}

Describe 'HttpSysSslBinding' {
    BeforeAll {
        $certificates = Join-Path $TestDrive 'certs'
        $null = New-HttpSysCertificate -DnsName localhost -OutputDirectory $certificates
        $cert = Join-Path $certificates 'cert.pem'
        $key = Join-Path $certificates 'key.pem'
    }

    BeforeEach {
        $store = Join-Path $TestDrive "binding-$([guid]::NewGuid()).json"
    }

    It 'binds a PEM pair, a second Set changes nothing, and a changed switch is out of the desired state' {
        $resource = New-DscResource HttpSysSslBinding @{ Key = '0.0.0.0:8443'; CertificateFile = $cert; KeyFile = $key; ConfigPath = $store }
        $resource.Test() | Should -BeFalse
        $resource.Set()
        $resource.Test() | Should -BeTrue
        $bytes = [System.IO.File]::ReadAllBytes($store)
        $resource.Set()
        [System.IO.File]::ReadAllBytes($store) | Should -Be $bytes

        $state = $resource.Get()
        $state.Ensure | Should -Be 'Present'
        $state.CertificateSource | Should -Be 'PemFile'
        $state.CertificateFile | Should -Be $cert

        $resource.DisableHttp2 = $true
        $resource.DisableOcspStapling = $true
        $resource.Test() | Should -BeFalse
        $resource.Set()
        (Get-SslBinding -ConfigPath $store).DisableHttp2 | Should -BeTrue
        (Get-SslBinding -ConfigPath $store).DisableOcspStapling | Should -BeTrue
        $resource.Test() | Should -BeTrue

        $resource.Ensure = 'Absent'
        $resource.Set()
        Get-SslBinding -ConfigPath $store | Should -BeNullOrEmpty
    }
}

Describe 'HttpSysTimeout' {
    BeforeEach {
        $store = Join-Path $TestDrive "timeouts-$([guid]::NewGuid()).json"
    }

    It 'manages only the timers it is given, and a second Set changes nothing' {
        Set-HttpSysTimeout -HeaderWait 30 -ConfigPath $store
        $resource = New-DscResource HttpSysTimeout @{ IdleConnection = 60; ConfigPath = $store }
        $resource.Test() | Should -BeFalse
        $resource.Set()
        $resource.Test() | Should -BeTrue
        $bytes = [System.IO.File]::ReadAllBytes($store)
        $resource.Set()
        [System.IO.File]::ReadAllBytes($store) | Should -Be $bytes

        $state = $resource.Get()
        $state.IdleConnection | Should -Be 60
        $state.HeaderWait | Should -Be 30
    }

    It 'refuses a value out of range and writes nothing' {
        Set-HttpSysTimeout -IdleConnection 60 -ConfigPath $store
        $bytes = [System.IO.File]::ReadAllBytes($store)
        $resource = New-DscResource HttpSysTimeout @{ IdleConnection = 70000; ConfigPath = $store }
        $resource.Test() | Should -BeFalse
        { $resource.Set() } | Should -Throw -ExpectedMessage '*65535*'
        [System.IO.File]::ReadAllBytes($store) | Should -Be $bytes
    }
}
