#Requires -Version 7.4
<#
.SYNOPSIS
    Serves the sample site from PowerShell: static files, a scriptblock JSON API and the compiled sample handler,
    three listeners sharing one port, until Ctrl+C.
.DESCRIPTION
    The README's "run" command: `dotnet tool restore && dotnet pwsh ./samples/Start-Sample.ps1`.
    Builds the module and the sample handler (unless -NoBuild), imports the staged module from
    artifacts/module/HttpSysPS, and registers
      http://localhost:<port>/        samples/site             (-StaticRoot)
      http://localhost:<port>/api/    a scriptblock            (JSON: the path, the query, the time)
      http://localhost:<port>/hello/  HelloHandler.HelloHandler (a compiled IRequestHandler)
    HTTP.sys routing picks the listener by the longest matching prefix. Ctrl+C ends the wait, and the listeners are
    removed on the way out. Needs no URL reservation: localhost prefixes on a port above 1024 are open to everyone.
.PARAMETER Port
    The port; 0 takes a free one (the URLs printed say which). Default: 8080.
.PARAMETER NoBuild
    Use what is already built (artifacts/module/HttpSysPS and samples/HelloHandler/bin/<Configuration>).
.PARAMETER Configuration
    The build configuration. Default: Debug.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./samples/Start-Sample.ps1 -Port 8080
#>
[CmdletBinding()]
param(
    [ValidateRange(0, 65535)]
    [int] $Port = 8080,

    [switch] $NoBuild,

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

$repo = (Resolve-Path -LiteralPath (Join-Path -Path $PSScriptRoot -ChildPath '..')).Path
$handlerProject = Join-Path -Path $repo -ChildPath 'samples/HelloHandler/HelloHandler.csproj'
$handlerDll = Join-Path -Path $repo -ChildPath "samples/HelloHandler/bin/$Configuration/net8.0/HelloHandler.dll"
$manifest = Join-Path -Path $repo -ChildPath 'artifacts/module/HttpSysPS/HttpSysPS.psd1'

if (-not $NoBuild) {
    # The Cmdlets project stages the module folder; the handler project builds the engine it references too.
    foreach ($project in (Join-Path -Path $repo -ChildPath 'src/HttpSysPS.Cmdlets/HttpSysPS.Cmdlets.csproj'), $handlerProject) {
        & dotnet build $project --configuration $Configuration --nologo --verbosity quiet
        if ($LASTEXITCODE -ne 0) {
            throw "dotnet build $project failed (exit code $LASTEXITCODE)."
        }
    }
}

Import-Module -Name $manifest

$names = 'sample-site', 'sample-api', 'sample-hello'
try {
    # The first listener fixes the port (port 0 = a free one); the other two share it.
    $site = New-HttpSysListener -Name $names[0] -UrlPrefix "http://localhost:$Port/" -StaticRoot (Join-Path -Path $repo -ChildPath 'samples/site') -Start
    $Port = ([uri]$site.BoundUrl[0]).Port
    $null = New-HttpSysListener -Name $names[1] -UrlPrefix "http://localhost:$Port/api/" -Start -ScriptBlock {
        # Pipeline output becomes the body: a hashtable is sent as JSON.
        @{
            path   = $Request.Path
            query  = $Request.QueryString
            server = 'HttpSysPS'
            time   = [DateTime]::UtcNow.ToString('o')
        }
    }
    $null = New-HttpSysListener -Name $names[2] -UrlPrefix "http://localhost:$Port/hello/" -HandlerAssembly $handlerDll -HandlerType 'HelloHandler.HelloHandler' -Start

    foreach ($path in '/', '/api/', '/hello/') {
        Write-Host "Now listening on: http://localhost:$Port$path"
    }
    Write-Host 'Press Ctrl+C to stop.'
    Wait-HttpSysListener -Name $names
}
finally {
    # Runs on Ctrl+C too: the listeners (sockets, runspaces) go with the script.
    Get-HttpSysListener -Name $names -ErrorAction Ignore | Remove-HttpSysListener -Force -Confirm:$false
    Write-Host 'Stopped.'
}
