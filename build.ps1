#Requires -Version 7.4
<#
.SYNOPSIS
    Builds HttpSysPS (and stages the module in artifacts/module/HttpSysPS); with -Test, runs every test.
.DESCRIPTION
    A thin wrapper over the dotnet CLI for PowerShell users: the build itself is plain MSBuild, so
    `dotnet build` and `dotnet test` at the repository root do exactly the same without PowerShell.
    -Test runs `dotnet test`, then the Pester 5 tests in tests/pester against the staged module, in a
    child pwsh process so this session never loads the module's assemblies.
.EXAMPLE
    ./build.ps1 -Configuration Release -Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug',

    [switch] $Test
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

function Invoke-Dotnet {
    param([string[]] $Arguments)
    Write-Host "dotnet $($Arguments -join ' ')"
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE."
    }
}

Push-Location -LiteralPath $PSScriptRoot
try {
    Invoke-Dotnet -Arguments @('build', '--configuration', $Configuration)
    $moduleDir = Join-Path -Path $PSScriptRoot -ChildPath 'artifacts/module/HttpSysPS'
    Write-Host "Module staged in $moduleDir"

    if (-not $Test) {
        return
    }

    Invoke-Dotnet -Arguments @('test', '--configuration', $Configuration, '--no-build')

    $pester = Get-Module -ListAvailable -Name Pester |
        Where-Object { $_.Version -ge [version]'5.0.0' } |
        Sort-Object -Property Version -Descending |
        Select-Object -First 1
    if ($null -eq $pester) {
        Write-Warning ('Pester 5 is not installed, so the Pester tests in tests/pester were NOT run. ' +
            'Install it with: Install-Module -Name Pester -MinimumVersion 5.0.0 -Scope CurrentUser -Force')
        return
    }

    $pwsh = (Get-Process -Id $PID).Path
    $pesterPath = Join-Path -Path $PSScriptRoot -ChildPath 'tests/pester'
    Write-Host "Invoke-Pester $pesterPath (Pester $($pester.Version)) against $moduleDir"
    & $pwsh -NoProfile -NonInteractive -Command {
        param($PesterManifest, $TestPath, $ModuleDir)
        $ErrorActionPreference = 'Stop'
        Import-Module -Name $PesterManifest
        $env:HTTPSYSPS_MODULE_DIR = $ModuleDir
        $config = New-PesterConfiguration
        $config.Run.Path = $TestPath
        $config.Run.Exit = $true
        $config.Output.Verbosity = 'Detailed'
        Invoke-Pester -Configuration $config
    } -args $pester.Path, $pesterPath, $moduleDir
    if ($LASTEXITCODE -ne 0) {
        throw "Pester reported failures (exit code $LASTEXITCODE)."
    }
}
finally {
    Pop-Location
}
