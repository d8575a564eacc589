# The Ansible samples, run for real with Debian's ansible-playbook (ansible-core; the Windows sample's win_dsc and
# win_powershell come from Debian's `ansible` collections package). .ci/run installs both when it runs as root.
# Without them these tests are skipped with the install line, except in CI ($env:CI), where that is a failure.
BeforeAll {
    $root = Join-Path $PSScriptRoot '../..'
    $script:httpsys = Join-Path $root 'src/HttpSysPS.Host/bin/Debug/net8.0/httpsys'
    $script:samples = Join-Path $root 'samples/ansible'
    $script:install = 'apt-get update && apt-get install -y ansible-core ansible'
    $script:missing = if (-not (Get-Command ansible-playbook -ErrorAction Ignore)) {
        'ansible-playbook is not installed'
    }
    elseif ((& ansible-doc -t module ansible.windows.win_dsc 2>&1 | Out-String) -notmatch 'ANSIBLE\.WINDOWS\.WIN_DSC') {
        'the ansible.windows collection (win_dsc, win_powershell) is not installed'
    }

    . (Join-Path $PSScriptRoot 'DebianComponents.ps1')
    function Assert-Ansible { Assert-DebianComponent -Missing $script:missing -Install $script:install -Component 'Ansible' }

    # Ansible's own files (tmp, facts cache) go under TestDrive, not the user's home.
    $env:ANSIBLE_HOME = Join-Path $TestDrive '.ansible'
    $env:ANSIBLE_NOCOLOR = '1'
    $env:ANSIBLE_LOCALHOST_WARNING = 'False'
    $env:ANSIBLE_PYTHON_INTERPRETER = '/usr/bin/python3'

    function Invoke-Playbook([string[]] $Arguments) {
        $output = & ansible-playbook @Arguments 2>&1 | Out-String
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $output }
    }

    function Get-Recap([string] $Output) {
        $line = [regex]::Match($Output, 'localhost\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)')
        $line.Success | Should -BeTrue -Because "the play recap is missing from:`n$Output"
        [pscustomobject]@{ Ok = [int]$line.Groups[1].Value; Changed = [int]$line.Groups[2].Value; Failed = [int]$line.Groups[4].Value }
    }
}

Describe 'samples/ansible/provision-linux.yml' {
    BeforeAll {
        $state = Join-Path $TestDrive 'httpsysps'
        $store = Join-Path $state 'config.json'
        $pidFile = Join-Path $state 'httpsys-serve.pid'
    }

    AfterAll {
        # The playbook leaves `httpsys serve` running, as a service would be; the test stops it.
        if (Test-Path -LiteralPath $pidFile) {
            Stop-Process -Id ([int](Get-Content -LiteralPath $pidFile -TotalCount 1)) -ErrorAction Ignore
        }
    }

    It 'provisions a reservation, a binding and timeouts, serves the site, and a second run reports changed=0' {
        if (-not (Assert-Ansible)) { return }
        Test-Path -LiteralPath $script:httpsys | Should -BeTrue -Because 'dotnet test builds httpsys'
        $free = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $free.Start()
        $port = $free.LocalEndpoint.Port
        $free.Stop()
        $arguments = @('-i', 'localhost,', '-c', 'local', (Join-Path $script:samples 'provision-linux.yml'),
            '-e', "httpsys=$($script:httpsys)", '-e', "httpsys_config=$store", '-e', "site_port=$port")

        $first = Invoke-Playbook $arguments
        $first.ExitCode | Should -Be 0 -Because $first.Output
        $recap = Get-Recap $first.Output
        $recap.Failed | Should -Be 0
        # Directory, certificate, reservation, binding, the timeouts loop, the server start.
        $recap.Changed | Should -Be 6 -Because $first.Output

        $stored = Get-Content -LiteralPath $store -Raw | ConvertFrom-Json
        $stored.urlReservations[0].url | Should -Be "https://+:$port/"
        $stored.sslBindings[0].ipPort | Should -Be "0.0.0.0:$port"
        $stored.timeouts.idleConnection | Should -Be 60
        $stored.timeouts.headerWait | Should -Be 30
        $bytes = [System.IO.File]::ReadAllBytes($store)

        $second = Invoke-Playbook $arguments
        $second.ExitCode | Should -Be 0 -Because $second.Output
        (Get-Recap $second.Output).Changed | Should -Be 0 -Because $second.Output
        [System.IO.File]::ReadAllBytes($store) | Should -Be $bytes
    }
}

Describe 'samples/ansible/provision-windows.yml' {
    It 'passes ansible-playbook --syntax-check, which resolves win_dsc and win_powershell' {
        if (-not (Assert-Ansible)) { return }
        $inventory = Join-Path $TestDrive 'windows.ini'
        Set-Content -LiteralPath $inventory -Value "[windows]`nwin1"
        $playbook = Join-Path $script:samples 'provision-windows.yml'
        $check = Invoke-Playbook @('--syntax-check', '-i', $inventory, $playbook)
        $check.ExitCode | Should -Be 0 -Because $check.Output

        # The check is not vacuous: a module name it cannot resolve fails it.
        $broken = Join-Path $TestDrive 'broken.yml'
        (Get-Content -LiteralPath $playbook -Raw) -replace 'ansible\.windows\.win_dsc:', 'ansible.windows.win_dsc_missing:' |
            Set-Content -LiteralPath $broken
        $bad = Invoke-Playbook @('--syntax-check', '-i', $inventory, $broken)
        $bad.ExitCode | Should -Not -Be 0
        $bad.Output | Should -Match "couldn't resolve module/action 'ansible.windows.win_dsc_missing'"
    }
}
