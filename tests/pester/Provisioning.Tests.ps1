# Pester 5 tests of the provisioning cmdlets. Every test uses its own store under TestDrive:, never the machine store.
BeforeAll {
    $manifest = Join-Path $PSScriptRoot '../../artifacts/module/HttpSysPS/HttpSysPS.psd1'
    Import-Module $manifest -Force
}

Describe 'URL reservations' {
    BeforeEach {
        $store = Join-Path $TestDrive "reservations-$([guid]::NewGuid()).json"
    }

    It 'adds a normalised reservation and gets it back' {
        Add-UrlReservation -Url 'HTTP://+:8080/api' -User 'svc' -ConfigPath $store
        $reservation = Get-UrlReservation -ConfigPath $store
        $reservation.Url.FullPrefix | Should -Be 'http://+:8080/api/'
        $reservation.Acl[0].Principal.ToString() | Should -Be 'user:svc'
        $reservation.Acl[0].Listen | Should -BeTrue
        $reservation.Acl[0].Delegate | Should -BeFalse
    }

    It 'leaves the store unchanged when the same reservation is added twice' {
        Add-UrlReservation -Url 'http://+:8080/' -User 'svc' -ConfigPath $store
        $before = Get-FileHash -LiteralPath $store
        Add-UrlReservation -Url 'http://+:8080/' -User 'svc' -ConfigPath $store
        (Get-FileHash -LiteralPath $store).Hash | Should -Be $before.Hash
    }

    It 'refuses a different ACL with a stable error id unless forced' {
        Add-UrlReservation -Url 'http://+:8080/' -User 'svc' -ConfigPath $store
        { Add-UrlReservation -Url 'http://+:8080/' -User 'other' -ConfigPath $store -ErrorAction Stop } |
            Should -Throw -ErrorId 'AlreadyExists,HttpSysPS.Cmdlets.AddUrlReservationCommand'
        Add-UrlReservation -Url 'http://+:8080/' -User 'other' -Force -ConfigPath $store
        (Get-UrlReservation -ConfigPath $store).Acl[0].Principal.Name | Should -Be 'other'
    }

    It 'removes what Get-UrlReservation pipes to Remove-UrlReservation' {
        Add-UrlReservation -Url 'http://+:8080/a/' -User 'svc' -ConfigPath $store
        Add-UrlReservation -Url 'http://+:8080/b/' -User 'svc' -ConfigPath $store
        Get-UrlReservation -ConfigPath $store | Remove-UrlReservation -ConfigPath $store
        Get-UrlReservation -ConfigPath $store | Should -BeNullOrEmpty
    }

    It 'writes nothing with -WhatIf' {
        Add-UrlReservation -Url 'http://+:8080/' -User 'svc' -ConfigPath $store -WhatIf
        Test-Path -LiteralPath $store | Should -BeFalse
    }

    It 'reports a malformed URL as MalformedPrefix' {
        { Add-UrlReservation -Url 'http://+:99999/' -User 'svc' -ConfigPath $store -ErrorAction Stop } |
            Should -Throw -ErrorId 'MalformedPrefix,HttpSysPS.Cmdlets.AddUrlReservationCommand'
    }

    It 'reports a corrupt store as CorruptStore and leaves it alone' {
        Set-Content -LiteralPath $store -Value '{ broken'
        { Get-UrlReservation -ConfigPath $store -ErrorAction Stop } |
            Should -Throw -ErrorId 'CorruptStore,HttpSysPS.Cmdlets.GetUrlReservationCommand'
        (Get-Content -LiteralPath $store -Raw).Trim() | Should -Be '{ broken'
    }
}

Describe 'SSL bindings' {
    BeforeAll {
        $key = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve]::CreateFromValue('1.2.840.10045.3.1.7'))
        $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=pester', $key, [System.Security.Cryptography.HashAlgorithmName]::SHA256)
        $certificate = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(30))
        $certFile = Join-Path $TestDrive 'site.crt'
        $keyFile = Join-Path $TestDrive 'site.key'
        Set-Content -LiteralPath $certFile -Value $certificate.ExportCertificatePem()
        Set-Content -LiteralPath $keyFile -Value $key.ExportPkcs8PrivateKeyPem()
    }

    BeforeEach {
        $store = Join-Path $TestDrive "bindings-$([guid]::NewGuid()).json"
    }

    It 'sets, gets and removes a binding by IP:port' {
        $result = Set-SslBinding -IpPort '0.0.0.0:8443' -CertificateFile $certFile -KeyFile $keyFile -ConfigPath $store -PassThru
        $result.Changed | Should -BeTrue
        $result.Item.Key.ToString() | Should -Be '0.0.0.0:8443'
        (Get-SslBinding -ConfigPath $store).Certificate.CertificateFile | Should -Be $certFile
        Get-SslBinding -ConfigPath $store | Remove-SslBinding -ConfigPath $store
        Get-SslBinding -ConfigPath $store | Should -BeNullOrEmpty
    }

    It 'refuses a certificate without its key and writes nothing' {
        { Set-SslBinding -IpPort '0.0.0.0:8443' -CertificateFile $certFile -ConfigPath $store -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidCertificate,HttpSysPS.Cmdlets.SetSslBindingCommand'
        Test-Path -LiteralPath $store | Should -BeFalse
    }
}

Describe 'Service-wide timeouts' {
    BeforeEach {
        $store = Join-Path $TestDrive "timeouts-$([guid]::NewGuid()).json"
    }

    It 'sets only the named timers and reports the values in force' {
        Set-HttpSysTimeout -IdleConnection 60 -ConfigPath $store
        $stored = Get-HttpSysTimeout -ConfigPath $store
        $stored.IdleConnection | Should -Be 60
        $stored.HeaderWait | Should -Be 0
        (Get-HttpSysTimeout -Effective -ConfigPath $store).HeaderWait | Should -Be 120
    }

    It 'rejects a value out of range' {
        { Set-HttpSysTimeout -HeaderWait 65536 -ConfigPath $store -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidArgument,HttpSysPS.Cmdlets.SetHttpSysTimeoutCommand'
    }
}
