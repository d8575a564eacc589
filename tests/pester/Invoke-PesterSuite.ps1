#Requires -Version 7.4
<#
.SYNOPSIS
    Runs every Pester file in tests/pester against the staged module, each in its own pwsh process with a time limit.
.DESCRIPTION
    The Pester half of the README's test command (after `dotnet test`, which builds the module and downloads Pester).
    Each *.Tests.ps1 file runs in a child pwsh (the one running this script: $PSHOME), so a file that hangs is killed
    when its time limit passes and reported with the test that was running; the other files still run. Output is
    Pester's detailed output, then one line of totals per file and a last line of totals:
        Pester: N passed, N failed, N skipped
    Exit code: 0 when every test passed; 1 otherwise (a failure, a hang, a file that did not run).
.PARAMETER Path
    A folder of *.Tests.ps1 files, or one file. Default: this script's folder.
.PARAMETER ModuleDir
    The staged module folder, handed to the tests as $env:HTTPSYSPS_MODULE_DIR. Default: artifacts/module/HttpSysPS.
.PARAMETER PesterManifest
    Pester's Pester.psd1. Default: the path the build wrote to artifacts/pester.path (the NuGet package that
    tests/HttpSysPS.PowerShell.Tests downloads), else the newest Pester 5 or later on $env:PSModulePath.
.PARAMETER TimeoutSeconds
    The most one file may take. Default: 300.
.EXAMPLE
    dotnet test && dotnet pwsh -NoProfile -File tests/pester/Invoke-PesterSuite.ps1
#>
[CmdletBinding(DefaultParameterSetName = 'Suite')]
param(
    [Parameter(ParameterSetName = 'Suite')]
    [string] $Path = $PSScriptRoot,

    [Parameter(ParameterSetName = 'Suite')]
    [string] $ModuleDir = (Join-Path -Path $PSScriptRoot -ChildPath '../../artifacts/module/HttpSysPS'),

    [string] $PesterManifest,

    [Parameter(ParameterSetName = 'Suite')]
    [ValidateRange(1, 86400)]
    [int] $TimeoutSeconds = 300,

    # Internal: run one file in this process and write its counts to -ResultPath (what each child process does).
    [Parameter(Mandatory, ParameterSetName = 'Child')]
    [string] $ChildFile,

    [Parameter(Mandatory, ParameterSetName = 'Child')]
    [string] $ResultPath
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

function Resolve-PesterManifest {
    if ($PesterManifest) {
        return (Resolve-Path -LiteralPath $PesterManifest).Path
    }

    $recorded = Join-Path -Path $PSScriptRoot -ChildPath '../../artifacts/pester.path'
    if (Test-Path -LiteralPath $recorded) {
        $candidate = (Get-Content -LiteralPath $recorded -TotalCount 1).Trim()
        if (Test-Path -LiteralPath $candidate) {
            return $candidate
        }
    }

    $installed = Get-Module -ListAvailable -Name Pester | Where-Object Version -GE ([version]'5.0.0') |
        Sort-Object -Property Version -Descending | Select-Object -First 1
    if ($null -ne $installed) {
        return $installed.Path
    }

    throw ('Pester 5 or later was not found. Run `dotnet build` (it downloads Pester 6.2.0 from NuGet and records ' +
        'its path in artifacts/pester.path), or pass -PesterManifest <path to Pester.psd1>.')
}

if ($PSCmdlet.ParameterSetName -eq 'Child') {
    Import-Module -Name (Resolve-PesterManifest) -ErrorAction Stop
    $config = New-PesterConfiguration
    $config.Run.Path = $ChildFile
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $config.Output.RenderMode = 'Plaintext'
    $run = Invoke-Pester -Configuration $config
    [ordered]@{
        Result  = $run.Result
        Passed  = $run.PassedCount
        Failed  = $run.FailedCount + $run.FailedBlocksCount + $run.FailedContainersCount
        Skipped = $run.SkippedCount
        NotRun  = $run.NotRunCount
    } | ConvertTo-Json | Set-Content -LiteralPath $ResultPath
    exit 0
}

$pester = Resolve-PesterManifest
Import-Module -Name $pester -ErrorAction Stop
$moduleDir = (Resolve-Path -LiteralPath $ModuleDir).Path
if (-not (Test-Path -LiteralPath (Join-Path -Path $moduleDir -ChildPath 'HttpSysPS.psd1'))) {
    throw "No staged module in '$moduleDir': run `dotnet build` first."
}

$files = @(Get-ChildItem -Path $Path -Filter '*.Tests.ps1' -File -Recurse | Sort-Object -Property FullName)
if ($files.Count -eq 0) {
    throw "No *.Tests.ps1 files under '$Path'."
}

# $PSHOME/pwsh is the running PowerShell for every install kind; (Get-Process -Id $PID).Path is `dotnet` for the
# .NET tool install, which is why the old build.ps1 could not start Pester there.
$pwsh = Join-Path -Path $PSHOME -ChildPath ($IsWindows ? 'pwsh.exe' : 'pwsh')
$ansi = [regex]'\x1b\[[0-9;]*[A-Za-z]'
$completed = [regex]'^\s*\[[+\-!?]\] '
$passedLine = [regex]'^\s*\[\+\] '
$totals = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0; NotRun = 0 }
$problems = [System.Collections.Generic.List[string]]::new()
$env:HTTPSYSPS_MODULE_DIR = $moduleDir

foreach ($file in $files) {
    # Discovery gives the tests in the order they run: after a hang, the first one without a result line is the one
    # that was running.
    $discovery = New-PesterConfiguration
    $discovery.Run.Path = $file.FullName
    $discovery.Run.SkipRun = $true
    $discovery.Run.PassThru = $true
    $discovery.Output.Verbosity = 'None'
    $planned = @((Invoke-Pester -Configuration $discovery).Tests | ForEach-Object { $_.ExpandedPath })

    $resultPath = [System.IO.Path]::GetTempFileName()
    $start = [System.Diagnostics.ProcessStartInfo]::new($pwsh)
    foreach ($argument in '-NoProfile', '-NonInteractive', '-File', $PSCommandPath, '-ChildFile', $file.FullName,
        '-ResultPath', $resultPath, '-PesterManifest', $pester) {
        $start.ArgumentList.Add($argument)
    }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $child = [System.Diagnostics.Process]::Start($start)
    $stderr = $child.StandardError.ReadToEndAsync()
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    $done = 0
    $passed = 0
    $timedOut = $false
    $line = $child.StandardOutput.ReadLineAsync()
    while ($true) {
        $left = [int][Math]::Max(0, ($deadline - [DateTime]::UtcNow).TotalMilliseconds)
        if (-not $line.Wait($left)) {
            $timedOut = $true
            break
        }

        if ($null -eq $line.Result) {
            break
        }

        $text = $ansi.Replace($line.Result, '')
        Write-Host $text
        if ($completed.IsMatch($text)) {
            $done++
            $passed += [int]$passedLine.IsMatch($text)
        }
        $line = $child.StandardOutput.ReadLineAsync()
    }

    if ($timedOut) {
        $child.Kill($true)
        $running = if ($done -lt $planned.Count) { "'$($planned[$done])'" } else { 'after its last test (an AfterAll block)' }
        $problems.Add("$($file.Name): killed after its time limit of $TimeoutSeconds s, while running $running ($done of $($planned.Count) tests had finished).")
    }

    $child.WaitForExit()
    $errorText = $stderr.GetAwaiter().GetResult()
    if ($errorText.Trim()) {
        Write-Host $ansi.Replace($errorText.TrimEnd(), '')
    }

    $counts = if ((Get-Item -LiteralPath $resultPath).Length -gt 0) { Get-Content -LiteralPath $resultPath -Raw | ConvertFrom-Json } else { $null }
    Remove-Item -LiteralPath $resultPath -ErrorAction Ignore
    if ($null -eq $counts) {
        if (-not $timedOut) {
            $problems.Add("$($file.Name): the Pester process ended (exit code $($child.ExitCode)) without results.")
        }
        # What finished before the kill counts as it went; everything else of the file counts as failed.
        $totals.Passed += $passed
        $totals.Failed += [Math]::Max(1, $planned.Count - $passed)
        continue
    }

    foreach ($key in @($totals.Keys)) {
        $totals[$key] += $counts.$key
    }
    if ($counts.Failed -gt 0) {
        $problems.Add("$($file.Name): $($counts.Failed) failed.")
    }
    Write-Host "$($file.Name): $($counts.Passed) passed, $($counts.Failed) failed, $($counts.Skipped) skipped"
}

foreach ($problem in $problems) {
    Write-Host "FAILED $problem"
}
if ($totals.NotRun -gt 0) {
    Write-Host "$($totals.NotRun) test(s) did not run."
}
Write-Host "Pester: $($totals.Passed) passed, $($totals.Failed) failed, $($totals.Skipped) skipped"
exit ($problems.Count -eq 0 -and $totals.Failed -eq 0 -and $totals.Passed -gt 0 ? 0 : 1)
