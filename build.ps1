#Requires -Version 7.4
<#
.SYNOPSIS
    Builds HttpSysPS (and stages the module in artifacts/module/HttpSysPS); with -Test, runs every test.
.DESCRIPTION
    A thin wrapper over the dotnet CLI for PowerShell users: the build itself is plain MSBuild, so
    `dotnet build` and `dotnet test` at the repository root do exactly the same without PowerShell.
    -Test runs `dotnet test`, then every Pester file in tests/pester against the staged module through
    tests/pester/Invoke-PesterSuite.ps1 (Pester 6.2.0 from NuGet, downloaded by the build), in child pwsh
    processes so this session never loads the module's assemblies: the README's test command, step by step.
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

    # The same Pester runner as the README's test command, in a child pwsh: $PSHOME/pwsh is this PowerShell for every
    # install kind ((Get-Process -Id $PID).Path is `dotnet` when PowerShell is the .NET tool).
    $pwsh = Join-Path -Path $PSHOME -ChildPath ($IsWindows ? 'pwsh.exe' : 'pwsh')
    $runner = Join-Path -Path $PSScriptRoot -ChildPath 'tests/pester/Invoke-PesterSuite.ps1'
    & $pwsh -NoProfile -NonInteractive -File $runner -ModuleDir $moduleDir
    if ($LASTEXITCODE -ne 0) {
        throw "Pester reported failures (exit code $LASTEXITCODE)."
    }
}
finally {
    Pop-Location
}
