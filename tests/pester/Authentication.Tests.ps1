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

    function Assert-Pam {
        if ($script:missing) {
            $message = "$($script:missing): run '$($script:install)' (.ci/run does this when run as root)."
            if ($env:CI) {
                throw "CI needs libpam-wrapper: $message"
            }
            Write-Warning "SKIPPED: $message"
            Set-ItResult -Skipped -Because $message
            return $false
        }
        $true
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

        $script = @"
Import-Module -Name '$($script:manifestPath)' -ErrorAction Stop
`$listener = New-HttpSysListener -UrlPrefix 'http://localhost:0/' -Name pam -Start -AuthenticationScheme Basic -AllowBasicOverHttp -AllowAnonymous:`$false -ScriptBlock {
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
        $start.Environment['LD_PRELOAD'] = $script:pamWrapper
        $start.Environment['PAM_WRAPPER'] = '1'
        $start.Environment['PAM_WRAPPER_SERVICE_DIR'] = $pamDir
        $start.Environment['HTTPSYSPS_CONFIG'] = $env:HTTPSYSPS_CONFIG
        $child = [System.Diagnostics.Process]::Start($start)
        $errors = $child.StandardError.ReadToEndAsync()
        try {
            # Its first line is the bound URL (the child waits on stdin until this test is done with it).
            $url = $child.StandardOutput.ReadLineAsync().WaitAsync([TimeSpan]::FromSeconds(60)).GetAwaiter().GetResult()
            if ($url -notmatch '^http://localhost:\d+/$') {
                $child.StandardInput.Close()
                throw "The PAM listener did not start: $url $($errors.WaitAsync([TimeSpan]::FromSeconds(20)).GetAwaiter().GetResult())"
            }

            & curl -s -m 20 -u alice:wonderland $url | Should -Be 'alice|Basic|True'
            & curl -s -m 20 -o /dev/null -w '%{http_code}' -u alice:hunter2 $url | Should -Be '401'
        }
        finally {
            $child.StandardInput.Close()
            if (-not $child.WaitForExit(10000)) { $child.Kill($true) }
            $child.Dispose()
        }
    }
}
