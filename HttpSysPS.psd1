# Module manifest for HttpSysPS: the HTTP.sys hosting model on every platform .NET runs on.
# Everything exported is listed explicitly (no wildcards): PowerShell then knows the command names without
# loading the module, and tests/HttpSysPS.Cmdlets.Tests checks this list against the cmdlets in the assembly.
@{
    RootModule           = 'HttpSysPS.psm1'
    # The class-based DSC resources (DscResourcesToExport); script only, so it may load before the root module.
    NestedModules        = @('HttpSysPS.DscResources.psm1')
    ModuleVersion        = '0.1.0'
    GUID                 = '0792cfb9-d107-4a39-8695-126120245255'
    Author               = 'HttpSysPS contributors'
    CompanyName          = 'HttpSysPS contributors'
    Copyright            = '(c) HttpSysPS contributors.'
    Description          = 'HTTP.sys hosting model for PowerShell 7 on every platform: URL reservations, SSL bindings, service-wide timeouts, URL-prefix routing with port sharing, request queues and listeners that run scriptblock or compiled handlers.'
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.4'

    # One file per output area; a missing file makes Import-Module fail, and the manifest test fail first.
    FormatsToProcess     = @(
        'HttpSysPS.Provisioning.Format.ps1xml'
        'HttpSysPS.Hosting.Format.ps1xml'
        'HttpSysPS.Caching.Format.ps1xml'
        'HttpSysPS.WebSockets.Format.ps1xml'
    )

    CmdletsToExport      = @(
        'Add-UrlReservation'
        'Get-UrlReservation'
        'Remove-UrlReservation'
        'Set-SslBinding'
        'Get-SslBinding'
        'Remove-SslBinding'
        'Set-HttpSysTimeout'
        'Get-HttpSysTimeout'
        'New-HttpSysCertificate'
        'New-HttpSysListener'
        'Start-HttpSysListener'
        'Stop-HttpSysListener'
        'Get-HttpSysListener'
        'Remove-HttpSysListener'
        'Wait-HttpSysListener'
        'Get-HttpSysRequestQueue'
        'Get-HttpSysResponseCache'
        'Clear-HttpSysResponseCache'
        'Get-HttpSysWebSocket'
        'Send-HttpSysWebSocketMessage'
        'Close-HttpSysWebSocket'
    )
    # Class-based DSC resources (HttpSysPS.DscResources.psm1) for Invoke-DscResource, DSC v3's PowerShell adapter and
    # Ansible's win_dsc; the DSC v3 command resources ship beside httpsys instead (docs/configuration-management.md).
    DscResourcesToExport = @(
        'HttpSysUrlReservation'
        'HttpSysSslBinding'
        'HttpSysTimeout'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()

    PrivateData          = @{
        PSData = @{
            Tags         = @('HTTP', 'HttpSys', 'WebServer', 'Listener', 'UrlAcl', 'SslCert', 'netsh', 'Linux', 'macOS', 'Windows', 'DSC', 'DSCResource', 'PSEdition_Core')
            ReleaseNotes = 'First preview: provisioning (URL reservations, SSL bindings, timeouts) and listeners.'
        }
    }
}
