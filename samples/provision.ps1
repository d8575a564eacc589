#Requires -Version 7.4
<#
.SYNOPSIS
    Idempotent HttpSysPS provisioning for Ansible (win_shell, shell, command) or a DSC script resource: one URL
    reservation, one SSL binding and the idle connection timeout, reported as one line of JSON.
.DESCRIPTION
    Run it as a configuration tool does, in a fresh non-interactive process:

        pwsh -NonInteractive -File samples/provision.ps1 [-ConfigPath <store>] [-Url ...] [-User ...] ...

    It applies, in this order, each with -PassThru so the cmdlets say whether they changed anything:
      1. Add-UrlReservation -Url $Url -User $User
      2. without -CertificateFile: a development certificate pair (New-HttpSysCertificate) in certs/ beside the
         store, created only when cert.pem or key.pem is missing
      3. Set-SslBinding -Key $SslKey with that PEM pair
      4. Set-HttpSysTimeout -IdleConnection $IdleConnection

    Output (stdout): exactly one line, a JSON object, and nothing else:
        {"changed":true,"configPath":"/etc/httpsysps/config.json","results":[
          {"kind":"UrlReservation","action":"Add","target":"https://+:8443/","changed":true,"warnings":[]}, ...]}
    "changed" is true when any step changed something; a second run with the same arguments prints "changed":false.
    Each result is one step: kind and action are the cmdlet's noun and verb (HttpSysCertificate/New for step 2),
    target what it acted on, warnings the cmdlet's warnings (e.g. an expired certificate), which go only here, not
    to the warning stream, so stdout stays one line.

    Exit code: 0 on success, whether or not anything changed; 1 on any failure, with one line on stderr:
        provision.ps1: <ErrorId>: <message>     e.g. provision.ps1: MalformedPrefix,HttpSysPS.Cmdlets.AddUrlReservationCommand: ...
    A failure stops the run at that step. Earlier steps stay applied; every step is idempotent, so running again after
    fixing the cause converges.

    The module is imported from -ModulePath when given; else from the staged build beside this script
    (../artifacts/module/HttpSysPS, what `dotnet build` writes) when it exists; else by name (HttpSysPS installed on
    $env:PSModulePath, e.g. with Install-PSResource or a copy of the staged folder).
.PARAMETER ConfigPath
    The store to provision. Default: $env:HTTPSYSPS_CONFIG, else the machine store (/etc/httpsysps/config.json on
    Linux; changing it needs root). Relative paths are relative to the current location.
.PARAMETER Url
    The URL prefix to reserve. Default: https://+:8443/.
.PARAMETER User
    Who may listen on -Url (user:NAME or NAME, group:NAME, Everyone). Default: the user running the script.
.PARAMETER SslKey
    The SSL binding key, IP:port or hostname:port. Default: 0.0.0.0:8443 (every address, port 8443).
.PARAMETER CertificateFile
    A PEM certificate (or a PEM file with the key, or a passwordless PFX) to bind. Default: certs/cert.pem beside the
    store, created with New-HttpSysCertificate when missing.
.PARAMETER KeyFile
    The PEM private key of -CertificateFile. Default with the development certificate: certs/key.pem beside the store.
.PARAMETER DnsName
    Names the development certificate is made for when one is created. Default: localhost.
.PARAMETER IdleConnection
    Service-wide idle connection timeout in seconds (0 = HTTP.sys default of 120). Default: 60.
.PARAMETER ModulePath
    The HttpSysPS module to import: a folder or its HttpSysPS.psd1.
.EXAMPLE
    # Ansible on Linux; the play reports "changed" only when the store changed.
    - name: Provision HttpSysPS
      ansible.builtin.command: pwsh -NonInteractive -File /opt/httpsysps/provision.ps1 -User svc-web
      register: provision
      changed_when: (provision.stdout | from_json).changed
.EXAMPLE
    # The same on Windows.
    - ansible.windows.win_shell: pwsh -NonInteractive -File C:\deploy\provision.ps1 -User svc-web
      register: provision
      changed_when: (provision.stdout | from_json).changed
#>
[CmdletBinding()]
param(
    [string] $ConfigPath,
    [string] $Url = 'https://+:8443/',
    [string[]] $User = @([Environment]::UserName),
    [string] $SslKey = '0.0.0.0:8443',
    [string] $CertificateFile,
    [string] $KeyFile,
    [string[]] $DnsName = @('localhost'),
    [int] $IdleConnection = 60,
    [string] $ModulePath
)

Set-StrictMode -Version 3.0
# Every error ends the run in the catch below: a configuration tool must see a failure as a non-zero exit, not as a
# red line in an output nobody reads.
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
# Warnings travel in the JSON (each result's "warnings"); on the stream they would add lines to stdout.
$WarningPreference = 'SilentlyContinue'

try {
    $staged = Join-Path -Path $PSScriptRoot -ChildPath '../artifacts/module/HttpSysPS/HttpSysPS.psd1'
    if ($ModulePath) {
        Import-Module -Name $ModulePath
    }
    elseif (Test-Path -LiteralPath $staged) {
        Import-Module -Name $staged
    }
    else {
        Import-Module -Name HttpSysPS
    }

    # The store the cmdlets will use, resolved as they resolve it, so the certificate folder and the report name it.
    $explicit = if ($ConfigPath) { $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($ConfigPath) } else { $null }
    $storePath = [HttpSysPS.Engine.Configuration.ServiceConfigPath]::Resolve($explicit)
    $store = @{ ConfigPath = $storePath }

    $results = [System.Collections.Generic.List[object]]::new()
    function Add-Result($kind, $action, $target, $changed, $warnings) {
        $results.Add([ordered]@{ kind = $kind; action = $action; target = $target; changed = [bool]$changed; warnings = @($warnings) })
    }
    function Add-ProvisioningResult($result) {
        Add-Result $result.Kind $result.Action $result.Target $result.Changed $result.Warnings
    }

    Add-ProvisioningResult (Add-UrlReservation -Url $Url -User $User -PassThru @store)

    if (-not $CertificateFile) {
        $certificateDirectory = Join-Path -Path (Split-Path -Path $storePath -Parent) -ChildPath 'certs'
        $CertificateFile = Join-Path -Path $certificateDirectory -ChildPath 'cert.pem'
        $KeyFile = Join-Path -Path $certificateDirectory -ChildPath 'key.pem'
        $missing = -not ((Test-Path -LiteralPath $CertificateFile) -and (Test-Path -LiteralPath $KeyFile))
        if ($missing) {
            $null = New-HttpSysCertificate -DnsName $DnsName -OutputDirectory $certificateDirectory
        }
        Add-Result 'HttpSysCertificate' 'New' $certificateDirectory $missing @()
    }

    $certificate = @{ CertificateFile = $CertificateFile }
    if ($KeyFile) {
        $certificate.KeyFile = $KeyFile
    }
    Add-ProvisioningResult (Set-SslBinding -Key $SslKey @certificate -PassThru @store)

    Add-ProvisioningResult (Set-HttpSysTimeout -IdleConnection $IdleConnection -PassThru @store)

    $report = [ordered]@{
        changed    = @($results | Where-Object { $_.changed }).Count -gt 0
        configPath = $storePath
        results    = $results.ToArray()
    }
    $report | ConvertTo-Json -Compress -Depth 5
    exit 0
}
catch {
    $errorId = $_.FullyQualifiedErrorId
    [Console]::Error.WriteLine("provision.ps1: ${errorId}: $($_.Exception.Message)")
    exit 1
}
