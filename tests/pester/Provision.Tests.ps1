#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# samples/provision.ps1 run as Ansible or a DSC script resource runs it: a fresh `pwsh -NonInteractive -File` process
# per run, judged only by its exit code, its one line of JSON on stdout and its stderr. Every store is under TestDrive:.
# The module comes from $env:HTTPSYSPS_MODULE_DIR, else the staged folder artifacts/module/HttpSysPS.

BeforeAll {
    $moduleDir = if ($env:HTTPSYSPS_MODULE_DIR) { $env:HTTPSYSPS_MODULE_DIR } else { Join-Path -Path $PSScriptRoot -ChildPath '../../artifacts/module/HttpSysPS' }
    $moduleDir = (Resolve-Path -LiteralPath $moduleDir).Path
    Import-Module -Name (Join-Path -Path $moduleDir -ChildPath 'HttpSysPS.psd1') -Force -ErrorAction Stop
    $script = (Resolve-Path -LiteralPath (Join-Path -Path $PSScriptRoot -ChildPath '../../samples/provision.ps1')).Path
    # $PSHOME's pwsh, not (Get-Process -Id $PID).Path: under the dotnet tool that is `dotnet` itself.
    $pwsh = Join-Path -Path $PSHOME -ChildPath 'pwsh'

    # One run of the script in its own process: exit code, stdout lines, stderr text.
    function Invoke-Provision {
        param([string[]] $Arguments)
        # A failing run is an expected result here, not an error of the test.
        $PSNativeCommandUseErrorActionPreference = $false
        $stderrFile = Join-Path -Path $TestDrive -ChildPath "stderr-$([guid]::NewGuid()).txt"
        $stdout = @(& $pwsh -NoProfile -NonInteractive -File $script -ModulePath $moduleDir @Arguments 2> $stderrFile)
        [pscustomobject]@{
            ExitCode = $LASTEXITCODE
            Stdout   = $stdout
            Stderr   = (Get-Content -LiteralPath $stderrFile -Raw) ?? ''
        }
    }
}

Describe 'samples/provision.ps1' {
    Context 'two runs against a new store' {
        BeforeAll {
            $store = Join-Path -Path $TestDrive -ChildPath 'twice/config.json'
            $first = Invoke-Provision -Arguments @('-ConfigPath', $store)
            $afterFirst = (Get-FileHash -LiteralPath $store).Hash
            $second = Invoke-Provision -Arguments @('-ConfigPath', $store)
        }

        It 'exits 0 both times with nothing on stderr' {
            $first.ExitCode | Should -Be 0 -Because $first.Stderr
            $second.ExitCode | Should -Be 0 -Because $second.Stderr
            $first.Stderr | Should -BeNullOrEmpty
            $second.Stderr | Should -BeNullOrEmpty
        }

        It 'prints exactly one line of JSON per run' {
            $first.Stdout | Should -HaveCount 1
            $second.Stdout | Should -HaveCount 1
            { $first.Stdout[0] | ConvertFrom-Json } | Should -Not -Throw
        }

        It 'reports changed on the first run, for every step' {
            $report = $first.Stdout[0] | ConvertFrom-Json
            $report.changed | Should -BeTrue
            $report.configPath | Should -Be $store
            @($report.results | ForEach-Object { "$($_.kind)/$($_.action)" }) |
                Should -Be @('UrlReservation/Add', 'HttpSysCertificate/New', 'SslBinding/Set', 'HttpSysTimeout/Set')
            @($report.results | Where-Object { -not $_.changed }) | Should -HaveCount 0
        }

        It 'reports nothing changed on the second run and leaves the store byte for byte' {
            $report = $second.Stdout[0] | ConvertFrom-Json
            $report.changed | Should -BeFalse
            @($report.results | Where-Object { $_.changed }) | Should -HaveCount 0
            (Get-FileHash -LiteralPath $store).Hash | Should -Be $afterFirst
        }

        It 'leaves the reservation, the binding with a certificate beside the store, and the timeout in the store' {
            $reservation = Get-UrlReservation -Url 'https://+:8443/' -ConfigPath $store -ErrorAction Stop
            $reservation.Acl.Principal.ToString() | Should -Be "user:$([Environment]::UserName)"
            $binding = Get-SslBinding -Key '0.0.0.0:8443' -ConfigPath $store -ErrorAction Stop
            $binding.Certificate.CertificateFile | Should -Be (Join-Path -Path $TestDrive -ChildPath 'twice/certs/cert.pem')
            $binding.Certificate.KeyFile | Should -Be (Join-Path -Path $TestDrive -ChildPath 'twice/certs/key.pem')
            (Get-HttpSysTimeout -ConfigPath $store).IdleConnection | Should -Be 60
        }
    }

    Context 'with a certificate of your own' {
        It 'binds the given PEM pair and creates no development certificate' {
            $pair = New-HttpSysCertificate -DnsName 'www.contoso.com' -OutputDirectory (Join-Path -Path $TestDrive -ChildPath 'own-cert')
            $store = Join-Path -Path $TestDrive -ChildPath 'own/config.json'

            $run = Invoke-Provision -Arguments @('-ConfigPath', $store, '-SslKey', 'www.contoso.com:443', '-CertificateFile', $pair.CertificateFile, '-KeyFile', $pair.KeyFile, '-Url', 'https://www.contoso.com:443/', '-User', 'svc')

            $run.ExitCode | Should -Be 0 -Because $run.Stderr
            $report = $run.Stdout[0] | ConvertFrom-Json
            @($report.results.kind) | Should -Not -Contain 'HttpSysCertificate'
            (Get-SslBinding -Key 'www.contoso.com:443' -ConfigPath $store -ErrorAction Stop).Certificate.CertificateFile | Should -Be $pair.CertificateFile
            Join-Path -Path $TestDrive -ChildPath 'own/certs' | Should -Not -Exist
        }
    }

    Context 'failures' {
        It 'exits non-zero on an invalid URL, says why on stderr, prints no JSON and leaves the store untouched' {
            $store = Join-Path -Path $TestDrive -ChildPath 'bad-url/config.json'
            (Invoke-Provision -Arguments @('-ConfigPath', $store)).ExitCode | Should -Be 0
            $before = (Get-FileHash -LiteralPath $store).Hash

            $run = Invoke-Provision -Arguments @('-ConfigPath', $store, '-Url', 'http://+:99999/')

            $run.ExitCode | Should -Not -Be 0
            $run.Stderr | Should -Match '^provision\.ps1: MalformedPrefix,HttpSysPS\.Cmdlets\.AddUrlReservationCommand: .*99999'
            $run.Stdout | Should -BeNullOrEmpty
            (Get-FileHash -LiteralPath $store).Hash | Should -Be $before
        }

        It 'exits non-zero when the store path is a directory and writes nothing into it' {
            $directory = New-Item -ItemType Directory -Path (Join-Path -Path $TestDrive -ChildPath 'a-directory')

            $run = Invoke-Provision -Arguments @('-ConfigPath', $directory.FullName)

            $run.ExitCode | Should -Not -Be 0
            $run.Stderr | Should -Match '^provision\.ps1: AccessDenied,'
            $run.Stdout | Should -BeNullOrEmpty
            Get-ChildItem -LiteralPath $directory.FullName -Force | Should -BeNullOrEmpty
        }
    }
}
