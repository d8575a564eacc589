#Requires -Version 7.4
<#
.SYNOPSIS
    The PowerShell-hosted server of bench/run.sh's scriptblock and pscompiled rows.
.DESCRIPTION
    Imports the staged module (artifacts/module/HttpSysPS) and serves GET /plaintext with 'Hello, World!' from one
    listener on http://127.0.0.1:<Port>/plaintext/, until the process is killed:
      -Handler ScriptBlock   New-HttpSysListener -ScriptBlock { 'Hello, World!' } with the default -ThrottleLimit
      -Handler Compiled      the same listener with the compiled HelloHandler.HelloHandler, in the same kind of session
    The configuration store is a file of its own under the temp folder: the machine store is neither read nor written.
#>
param(
    [Parameter(Mandatory)]
    [int] $Port,

    [ValidateSet('ScriptBlock', 'Compiled')]
    [string] $Handler = 'ScriptBlock',

    [string] $HandlerAssembly = (Join-Path -Path $PSScriptRoot -ChildPath '../samples/HelloHandler/bin/Release/net8.0/HelloHandler.dll'),

    # Another build of the module (e.g. an older commit's, for a before/after run through BENCH_OURS_CMD).
    [string] $ModulePath = (Join-Path -Path $PSScriptRoot -ChildPath '../artifacts/module/HttpSysPS/HttpSysPS.psd1')
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$env:HTTPSYSPS_CONFIG = Join-Path -Path ([System.IO.Path]::GetTempPath()) -ChildPath "httpsysps-bench-$PID.json"
Import-Module -Name $ModulePath

$prefix = "http://127.0.0.1:$Port/plaintext/"
$listener = if ($Handler -eq 'ScriptBlock') {
    New-HttpSysListener -Name bench -UrlPrefix $prefix -Start -ScriptBlock { 'Hello, World!' }
}
else {
    New-HttpSysListener -Name bench -UrlPrefix $prefix -Start -HandlerAssembly $HandlerAssembly -HandlerType 'HelloHandler.HelloHandler'
}
Write-Host "Now listening on: $($listener.BoundUrl[0])"
Wait-HttpSysListener -Name bench
