#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# New-HttpSysListener's authentication on the staged module: challenges and $Request.User always; Basic against PAM
# for real when Debian's libpam-wrapper is installed (pam_wrapper + pam_matrix, no system users). A preload must be
# in place when a process starts, so the PAM listener runs in a child pwsh started with LD_PRELOAD. Without the
# package that test is skipped with the install line, except in CI ($env:CI), where that is a failure.
BeforeAll {
    $moduleDir = if ($env:HTTPSYSPS_MODULE_DIR) { $env:HTTPSYSPS_MODULE_DIR } else { Join-Path -Path $PSScriptRoot -ChildPath '../../artifacts/module/HttpSysPS' }
    $script:manifestPath = Join-Path -Path (Resolve-Path -LiteralPath $moduleDir).Path -ChildPath 'HttpSysPS.psd1'
    $savedConfig = $env:HTTPSYSPS_CONFIG
    $env:HTTPSYSPS_CONFIG = Join-Path -Path $TestDrive -ChildPath 'config.json'
    Import-Module -Name $script:manifestPath -Force -ErrorAction Stop

    $script:install = 'apt-get update && apt-get install -y libpam-wrapper curl'
    $script:libDirs = '/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib'
    $script:pamWrapper = $script:libDirs | ForEach-Object { Join-Path $_ 'libpam_wrapper.so' } | Where-Object { Test-Path $_ } | Select-Object -First 1
    $script:pamMatrix = $script:libDirs | ForEach-Object { Join-Path $_ 'pam_wrapper/pam_matrix.so' } | Where-Object { Test-Path $_ } | Select-Object -First 1
    $script:missing = if (-not $script:pamWrapper -or -not $script:pamMatrix) { 'libpam_wrapper.so / pam_matrix.so not found' }
    elseif (-not (Get-Command curl -ErrorAction Ignore)) { 'curl not found' }

    . (Join-Path $PSScriptRoot 'DebianComponents.ps1')
    function Assert-Pam { Assert-DebianComponent -Missing $script:missing -Install $script:install -Component 'libpam-wrapper' }

    $script:gssInstall = 'apt-get update && apt-get install -y krb5-kdc krb5-admin-server krb5-user gss-ntlmssp curl'
    $script:sbin = '/usr/sbin', '/sbin', '/usr/bin'
    function Find-Tool([string] $name) {
        $found = Get-Command $name -CommandType Application -ErrorAction Ignore | Select-Object -First 1
        if ($found) { return $found.Source }
        $script:sbin | ForEach-Object { Join-Path $_ $name } | Where-Object { Test-Path $_ } | Select-Object -First 1
    }
    $script:gssMissing = @(
        foreach ($tool in 'krb5kdc', 'kdb5_util', 'kadmin.local', 'kinit', 'curl') { if (-not (Find-Tool $tool)) { $tool } }
        if (-not ($script:libDirs | ForEach-Object { Join-Path $_ 'gssntlmssp/gssntlmssp.so' } | Where-Object { Test-Path $_ })) { 'gssntlmssp.so' }
    ) -join ', '

    function Assert-Gssapi {
        Assert-DebianComponent -Missing $(if ($script:gssMissing) { "$($script:gssMissing) not found" }) -Install $script:gssInstall -Component 'the Kerberos and NTLM packages'
    }

    # A listener made by New-HttpSysListener in a child pwsh with its own environment (GSSAPI and PAM read the C
    # environment, fixed when a process starts); returns the process and the bound URL, its first line of output.
    function Start-ChildListener([string] $Parameters, [hashtable] $Environment) {
        $script = @"
Import-Module -Name '$($script:manifestPath)' -ErrorAction Stop
`$listener = New-HttpSysListener -UrlPrefix 'http://localhost:0/' -Name child -Start $Parameters -ScriptBlock {
    "`$(`$Request.User.Identity.Name)|`$(`$Request.User.Identity.AuthenticationType)|`$(`$Request.User.Identity.IsAuthenticated)"
}
[Console]::Out.WriteLine(`$listener.BoundUrl[0])
[Console]::Out.Flush()
[void][Console]::In.ReadLine()
"@
        $start = [System.Diagnostics.ProcessStartInfo]::new((Join-Path $PSHOME 'pwsh'))
        foreach ($argument in '-NoProfile', '-NonInteractive', '-Command', $script) { $start.ArgumentList.Add($argument) }
        $start.RedirectStandardOutput = $true
        $start.RedirectStandardInput = $true
        $start.RedirectStandardError = $true
        $start.UseShellExecute = $false
        $start.Environment['HTTPSYSPS_CONFIG'] = $env:HTTPSYSPS_CONFIG
        foreach ($name in $Environment.Keys) { $start.Environment[$name] = $Environment[$name] }
        $child = [System.Diagnostics.Process]::Start($start)
        $errors = $child.StandardError.ReadToEndAsync()
        $url = $child.StandardOutput.ReadLineAsync().WaitAsync([TimeSpan]::FromSeconds(60)).GetAwaiter().GetResult()
        if ($url -notmatch '^http://localhost:\d+/$') {
            Stop-ChildListener $child
            throw "The child listener did not start: $url $($errors.WaitAsync([TimeSpan]::FromSeconds(20)).GetAwaiter().GetResult())"
        }
        [pscustomobject]@{ Process = $child; Url = $url }
    }

    function Stop-ChildListener($child) {
        $child.StandardInput.Close()
        if (-not $child.WaitForExit(10000)) { $child.Kill($true) }
        $child.Dispose()
    }

    function Get-Challenge($response) {
        @($response.Headers['WWW-Authenticate'])
    }
}

AfterAll {
    Get-HttpSysListener | Remove-HttpSysListener -Force -Confirm:$false
    Remove-Module -Name HttpSysPS -Force -ErrorAction Ignore
    $env:HTTPSYSPS_CONFIG = $savedConfig
}

Describe 'New-HttpSysListener -AuthenticationScheme' {
    AfterEach {
        Get-HttpSysListener | Remove-HttpSysListener -Force -Confirm:$false
    }

    It 'answers 401 with one challenge per scheme before the scriptblock when anonymous requests are refused' {
        $listener = New-HttpSysListener -UrlPrefix 'http://localhost:0/' -Name refused -Start -AuthenticationScheme Negotiate, NTLM, Basic -AllowAnonymous:$false -ScriptBlock {
            throw 'the scriptblock must not run'
        }
        $listener.Authentication.ToString() | Should -Be 'Basic, NTLM, Negotiate'
        $listener.AllowAnonymous | Should -BeFalse
        # The table view's Auth column: the schemes, and ! when anonymous requests are refused.
        (Get-HttpSysListener -Name refused | Format-Table | Out-String) | Should -Match 'Basic, NTLM, Negotiate!'

        $response = Invoke-WebRequest -Uri $listener.BoundUrl[0] -SkipHttpErrorCheck
        $response.StatusCode | Should -Be 401
        # Basic is not offered on plain HTTP without -AllowBasicOverHttp.
        Get-Challenge $response | Should -Be @('Negotiate', 'NTLM')
    }

    It 'runs the scriptblock for anonymous requests with an unauthenticated $Request.User and adds the challenges to its 401' {
        $listener = New-HttpSysListener -UrlPrefix 'http://localhost:0/' -Name anonymous -Start -AuthenticationScheme Basic -Realm corp -AllowBasicOverHttp -ScriptBlock {
            if ($Request.Path -eq '/deny') {
                $Response.StatusCode = 401
                return
            }
            "authenticated=$($Request.User.Identity.IsAuthenticated)"
        }
        $listener.AllowAnonymous | Should -BeTrue

        (Invoke-WebRequest -Uri $listener.BoundUrl[0]).Content | Should -Be 'authenticated=False'
        $denied = Invoke-WebRequest -Uri ($listener.BoundUrl[0] + 'deny') -SkipHttpErrorCheck
        $denied.StatusCode | Should -Be 401
        Get-Challenge $denied | Should -Be @('Basic realm="corp", charset="UTF-8"')
    }

    It 'refuses a realm without a scheme' {
        { New-HttpSysListener -UrlPrefix 'http://localhost:0/' -Name norealm -Realm corp -ScriptBlock { 'x' } -ErrorAction Stop } | Should -Throw '*need an authentication scheme*'
    }

    It 'checks Basic passwords with PAM and gives the scriptblock the user in $Request.User' {
        if (-not (Assert-Pam)) { return }
        $pamDir = Join-Path $TestDrive 'pam.d'
        New-Item -ItemType Directory -Path $pamDir -Force | Out-Null
        $passdb = Join-Path $TestDrive 'passdb'
        Set-Content -LiteralPath $passdb -Value 'alice:wonderland:httpsys'
        $rules = "auth required $($script:pamMatrix) passdb=$passdb`naccount required $($script:pamMatrix) passdb=$passdb`n"
        Set-Content -LiteralPath (Join-Path $pamDir 'httpsys') -Value $rules
        Set-Content -LiteralPath (Join-Path $pamDir 'other') -Value $rules

        $child = Start-ChildListener '-AuthenticationScheme Basic -AllowBasicOverHttp -AllowAnonymous:$false' @{
            LD_PRELOAD = $script:pamWrapper
            PAM_WRAPPER = '1'
            PAM_WRAPPER_SERVICE_DIR = $pamDir
        }
        try {
            & curl -s -m 20 -u alice:wonderland $child.Url | Should -Be 'alice|Basic|True'
            & curl -s -m 20 -o /dev/null -w '%{http_code}' -u alice:hunter2 $child.Url | Should -Be '401'
        }
        finally {
            Stop-ChildListener $child.Process
        }
    }

    It 'authenticates curl --negotiate against a real MIT KDC and curl --ntlm through gss-ntlmssp, with the user in $Request.User' {
        if (-not (Assert-Gssapi)) { return }
        # A throwaway realm under TestDrive (docs/authentication.md walks through the same steps).
        $dir = Join-Path $TestDrive 'realm'
        New-Item -ItemType Directory -Path $dir -Force | Out-Null
        $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $probe.Start(); $port = $probe.LocalEndpoint.Port; $probe.Stop()
        Set-Content -LiteralPath (Join-Path $dir 'krb5.conf') -Value @"
[libdefaults]
    default_realm = PESTER.TEST
    dns_lookup_kdc = false
    dns_lookup_realm = false
    rdns = false
    udp_preference_limit = 1
[realms]
    PESTER.TEST = {
        kdc = 127.0.0.1:$port
    }
[domain_realm]
    localhost = PESTER.TEST
"@
        Set-Content -LiteralPath (Join-Path $dir 'kdc.conf') -Value @"
[kdcdefaults]
    kdc_ports = $port
    kdc_tcp_ports = $port
[realms]
    PESTER.TEST = {
        database_name = $dir/principal
        key_stash_file = $dir/stash
    }
"@
        Set-Content -LiteralPath (Join-Path $dir 'ntlm-users') -Value 'PESTER:carol:Ntlm-Pa55'
        $saved = @{}
        $kerberos = @{ KRB5_CONFIG = "$dir/krb5.conf"; KRB5_KDC_PROFILE = "$dir/kdc.conf"; KRB5CCNAME = "FILE:$dir/cc" }
        foreach ($name in $kerberos.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $kerberos[$name]) }
        $kdc = $null
        try {
            & (Find-Tool kdb5_util) -r PESTER.TEST -P master-Pa55 create -s *> $null
            $LASTEXITCODE | Should -Be 0
            foreach ($query in 'addprinc -pw alice-Pa55 alice', 'addprinc -randkey HTTP/localhost', "ktadd -k $dir/http.keytab HTTP/localhost") {
                & (Find-Tool kadmin.local) -r PESTER.TEST -q $query *> $null
                $LASTEXITCODE | Should -Be 0
            }
            $kdcStart = [System.Diagnostics.ProcessStartInfo]::new((Find-Tool krb5kdc))
            foreach ($argument in '-n', '-r', 'PESTER.TEST') { $kdcStart.ArgumentList.Add($argument) }
            $kdcStart.UseShellExecute = $false
            $kdcStart.RedirectStandardError = $true
            $kdc = [System.Diagnostics.Process]::Start($kdcStart)
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ($true) {
                $client = [System.Net.Sockets.TcpClient]::new()
                try { $client.Connect([System.Net.IPAddress]::Loopback, $port); break }
                catch { if ([DateTime]::UtcNow -gt $deadline) { throw "krb5kdc did not listen on $port" }; Start-Sleep -Milliseconds 20 }
                finally { $client.Dispose() }
            }
            'alice-Pa55' | & (Find-Tool kinit) alice *> $null
            $LASTEXITCODE | Should -Be 0

            $child = Start-ChildListener '-AuthenticationScheme Negotiate, NTLM -AllowAnonymous:$false' @{
                KRB5_CONFIG = "$dir/krb5.conf"
                KRB5_KTNAME = "FILE:$dir/http.keytab"
                KRB5RCACHEDIR = $dir
                NTLM_USER_FILE = "$dir/ntlm-users"
            }
            try {
                & curl -s -m 20 --negotiate -u : $child.Url | Should -Be 'alice@PESTER.TEST|Negotiate|True'
                & curl -s -m 20 --ntlm -u 'PESTER\carol:Ntlm-Pa55' $child.Url | Should -Be 'PESTER\carol|NTLM|True'
                & curl -s -m 20 -o /dev/null -w '%{http_code}' --ntlm -u 'PESTER\carol:wrong' $child.Url | Should -Be '401'
            }
            finally {
                Stop-ChildListener $child.Process
            }
        }
        finally {
            if ($kdc) { if (-not $kdc.HasExited) { $kdc.Kill() }; $kdc.Dispose() }
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
    }
}
