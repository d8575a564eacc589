#Requires -Version 7.4
# Class-based DSC resources for HttpSysPS: what PSDesiredStateConfiguration's Invoke-DscResource, DSC v3's PowerShell
# adapter (Microsoft.DSC/PowerShell, as HttpSysPS/HttpSysUrlReservation ...) and Ansible's win_dsc call. A nested
# module of HttpSysPS.psd1, listed in DscResourcesToExport. Each class is thin over the cmdlets, which make the engine
# calls: Get reads with Get-UrlReservation / Get-SslBinding / Get-HttpSysTimeout; Set changes with the -PassThru
# cmdlets, only when Test is false, so a second Set writes nothing. ConfigPath names a store (default: HTTPSYSPS_CONFIG,
# else the machine store). See docs/configuration-management.md.
#
# Engine types are looked up by name at run time ('...' -as [type]), not written as type literals: this file is parsed
# before HttpSysPS.psm1 loads the engine assembly, and a class cannot name a type that is not loaded yet.
Set-StrictMode -Version 3.0

enum Ensure {
    Absent
    Present
}

function Get-HttpSysPSDscType([string] $Name) {
    $type = "HttpSysPS.Engine.Configuration.$Name" -as [type]
    if ($null -eq $type) {
        throw "HttpSysPS: the engine type $Name is not loaded; import the HttpSysPS module, not HttpSysPS.DscResources.psm1 alone."
    }
    $type
}

# The six HTTP.sys timers by their TimeoutLimits names (a function, not a static property: no mutable shared state).
function Get-HttpSysPSDscTimer {
    'EntityBody', 'DrainEntityBody', 'RequestQueue', 'IdleConnection', 'HeaderWait', 'MinSendBytesPerSecond'
}

function Get-HttpSysPSDscStore([string] $ConfigPath) {
    if ($ConfigPath) { @{ ConfigPath = $ConfigPath } } else { @{} }
}

[DscResource()]
class HttpSysUrlReservation {
    # The URL prefix (Add-UrlReservation -Url); compared after normalisation, so http://+:8080 is http://+:8080/.
    [DscProperty(Key)]
    [string] $Url

    # Who is granted (user:NAME or NAME, group:NAME, Everyone), each with Listen and Delegate. Not given: the ACL is not
    # managed (Test checks existence only, and Set cannot create the reservation).
    [DscProperty()]
    [string[]] $User

    [DscProperty()]
    [bool] $Listen = $true

    [DscProperty()]
    [bool] $Delegate = $false

    [DscProperty()]
    [Ensure] $Ensure = [Ensure]::Present

    [DscProperty()]
    [string] $ConfigPath

    [HttpSysUrlReservation] Get() {
        $found = $this.Find()
        $current = [HttpSysUrlReservation]::new()
        $current.Url = (Get-HttpSysPSDscType UrlReservation)::ParseUrl($this.Url).FullPrefix
        $current.ConfigPath = $this.ConfigPath
        $current.Ensure = if ($found) { [Ensure]::Present } else { [Ensure]::Absent }
        if ($found) {
            $current.User = @($found.Acl | ForEach-Object { $_.Principal.ToString() })
            # One Listen/Delegate pair describes the ACL when every entry has it (what Set writes).
            $current.Listen = @($found.Acl | Where-Object { -not $_.Listen }).Count -eq 0
            $current.Delegate = @($found.Acl | Where-Object { -not $_.Delegate }).Count -eq 0
        }
        return $current
    }

    [bool] Test() {
        $found = $this.Find()
        if ($this.Ensure -eq [Ensure]::Absent) {
            return $null -eq $found
        }
        if ($null -eq $found) {
            return $false
        }
        if (-not $this.User) {
            return $true
        }
        $principal = Get-HttpSysPSDscType Principal
        $want = @($this.User | ForEach-Object { '{0}|{1}|{2}' -f $principal::Parse($_), $this.Listen, $this.Delegate } | Sort-Object)
        $have = @($found.Acl | ForEach-Object { '{0}|{1}|{2}' -f $_.Principal, $_.Listen, $_.Delegate } | Sort-Object)
        return ($want -join "`n") -ceq ($have -join "`n")
    }

    [void] Set() {
        if ($this.Test()) {
            Write-Verbose "HttpSysUrlReservation $($this.Url) is in the desired state; nothing changed."
            return
        }
        $store = Get-HttpSysPSDscStore $this.ConfigPath
        $result = if ($this.Ensure -eq [Ensure]::Absent) {
            Remove-UrlReservation -Url $this.Url -PassThru -Confirm:$false -ErrorAction Stop @store
        }
        elseif (-not $this.User) {
            throw "HttpSysUrlReservation: cannot create the reservation '$($this.Url)' without User."
        }
        else {
            Add-UrlReservation -Url $this.Url -User $this.User -Listen $this.Listen -Delegate:$this.Delegate -Force -PassThru -Confirm:$false -ErrorAction Stop @store
        }
        Write-Verbose "HttpSysUrlReservation: $($result.Action) $($result.Target), changed: $($result.Changed)."
    }

    hidden [object] Find() {
        $prefix = (Get-HttpSysPSDscType UrlReservation)::ParseUrl($this.Url)
        $store = Get-HttpSysPSDscStore $this.ConfigPath
        return Get-UrlReservation -ErrorAction Stop @store | Where-Object { $_.Url.Equals($prefix) } | Select-Object -First 1
    }
}

[DscResource()]
class HttpSysSslBinding {
    # IP:port or hostname:port (Set-SslBinding -Key).
    [DscProperty(Key)]
    [string] $Key

    # The certificate: a PEM (or passwordless PFX) file and its key file, or a thumbprint in a certificate store.
    [DscProperty()]
    [string] $CertificateFile

    [DscProperty()]
    [string] $KeyFile

    [DscProperty()]
    [string] $CertificateHash

    [DscProperty()]
    [string] $CertificateStoreName

    [DscProperty()]
    [string] $AppId = '00000000-0000-0000-0000-000000000000'

    [DscProperty()]
    [bool] $NegotiateClientCertificate

    [DscProperty()]
    [bool] $DisableTls12

    [DscProperty()]
    [bool] $DisableTls13

    [DscProperty()]
    [bool] $DisableHttp2

    [DscProperty()]
    [bool] $DisableLegacyTls

    [DscProperty()]
    [bool] $DisableQuic

    [DscProperty()]
    [bool] $DisableOcspStapling

    [DscProperty()]
    [bool] $EnableSessionTicket

    [DscProperty()]
    [bool] $DisableSessionId

    [DscProperty()]
    [bool] $LogExtendedEvents

    [DscProperty()]
    [Ensure] $Ensure = [Ensure]::Present

    [DscProperty()]
    [string] $ConfigPath

    # Store, PemFile or PfxFile (read-only).
    [DscProperty(NotConfigurable)]
    [string] $CertificateSource

    [HttpSysSslBinding] Get() {
        $found = $this.Find()
        $current = [HttpSysSslBinding]::new()
        $current.Key = (Get-HttpSysPSDscType SslBindingKey)::Parse($this.Key).ToString()
        $current.ConfigPath = $this.ConfigPath
        $current.Ensure = if ($found) { [Ensure]::Present } else { [Ensure]::Absent }
        if ($found) {
            $current.CertificateFile = $found.Certificate.CertificateFile
            $current.KeyFile = $found.Certificate.KeyFile
            $current.CertificateHash = $found.Certificate.Thumbprint
            $current.CertificateStoreName = $found.Certificate.StoreName
            $current.CertificateSource = $found.Certificate.Source.ToString()
            $current.AppId = $found.AppId.ToString()
            $current.NegotiateClientCertificate = $found.NegotiateClientCertificate
            $current.DisableTls12 = $found.DisableTls12
            $current.DisableTls13 = $found.DisableTls13
            $current.DisableHttp2 = $found.DisableHttp2
            $current.DisableLegacyTls = $found.DisableLegacyTls
            $current.DisableQuic = $found.DisableQuic
            $current.DisableOcspStapling = $found.DisableOcspStapling
            $current.EnableSessionTicket = $found.EnableSessionTicket
            $current.DisableSessionId = $found.DisableSessionId
            $current.LogExtendedEvents = $found.LogExtendedEvents
        }
        return $current
    }

    [bool] Test() {
        $found = $this.Find()
        if ($this.Ensure -eq [Ensure]::Absent) {
            return $null -eq $found
        }
        # The binding Set would write, compared whole (the engine's SslBinding is a record: value equality).
        return $null -ne $found -and $found.Equals($this.Desired())
    }

    [void] Set() {
        if ($this.Test()) {
            Write-Verbose "HttpSysSslBinding $($this.Key) is in the desired state; nothing changed."
            return
        }
        $store = Get-HttpSysPSDscStore $this.ConfigPath
        if ($this.Ensure -eq [Ensure]::Absent) {
            $result = Remove-SslBinding -Key $this.Key -PassThru -Confirm:$false -ErrorAction Stop @store
        }
        else {
            $certificate = if ($this.CertificateHash) {
                @{ CertificateHash = $this.CertificateHash; CertificateStoreName = $this.CertificateStoreName }
            }
            else {
                @{ CertificateFile = $this.CertificateFile; KeyFile = $this.KeyFile }
            }
            $result = Set-SslBinding -Key $this.Key @certificate -AppId $this.AppId -NegotiateClientCertificate:$this.NegotiateClientCertificate `
                -DisableTls12:$this.DisableTls12 -DisableTls13:$this.DisableTls13 -DisableHttp2:$this.DisableHttp2 `
                -DisableLegacyTls:$this.DisableLegacyTls -DisableQuic:$this.DisableQuic -DisableOcspStapling:$this.DisableOcspStapling `
                -EnableSessionTicket:$this.EnableSessionTicket -DisableSessionId:$this.DisableSessionId -LogExtendedEvents:$this.LogExtendedEvents `
                -PassThru -Confirm:$false -ErrorAction Stop @store
        }
        Write-Verbose "HttpSysSslBinding: $($result.Action) $($result.Target), changed: $($result.Changed)."
    }

    hidden [object] Desired() {
        if ([bool]$this.CertificateHash -eq [bool]$this.CertificateFile) {
            throw "HttpSysSslBinding '$($this.Key)': give CertificateFile (and KeyFile), or CertificateHash (and CertificateStoreName)."
        }
        $reference = Get-HttpSysPSDscType SslCertificateReference
        $certificate = if ($this.CertificateHash) {
            $reference::FromStore($this.CertificateHash, $this.CertificateStoreName)
        }
        else {
            # Resolved as Set-SslBinding resolves them: against the PowerShell location, not the process directory.
            $path = $global:ExecutionContext.SessionState.Path
            $keyPath = if ($this.KeyFile) { $path.GetUnresolvedProviderPathFromPSPath($this.KeyFile) } else { $null }
            $reference::FromFile($path.GetUnresolvedProviderPathFromPSPath($this.CertificateFile), $keyPath)
        }
        return (Get-HttpSysPSDscType SslBinding)::new((Get-HttpSysPSDscType SslBindingKey)::Parse($this.Key), $certificate,
            [guid]$this.AppId, $this.NegotiateClientCertificate, $this.DisableTls12, $this.DisableTls13, $this.DisableHttp2,
            $this.DisableLegacyTls, $this.DisableQuic, $this.DisableOcspStapling, $this.EnableSessionTicket, $this.DisableSessionId, $this.LogExtendedEvents, $false)
    }

    hidden [object] Find() {
        $bindingKey = (Get-HttpSysPSDscType SslBindingKey)::Parse($this.Key)
        $store = Get-HttpSysPSDscStore $this.ConfigPath
        return Get-SslBinding -ErrorAction Stop @store | Where-Object { $_.Key.Equals($bindingKey) } | Select-Object -First 1
    }
}

[DscResource()]
class HttpSysTimeout {
    # One instance per store (the DSC single-instance pattern): always 'Yes'.
    [DscProperty(Key)]
    [ValidateSet('Yes')]
    [string] $IsSingleInstance = 'Yes'

    # The six HTTP.sys timers (Set-HttpSysTimeout). Only those given are managed; $null leaves a timer alone.
    [DscProperty()]
    [Nullable[int]] $EntityBody

    [DscProperty()]
    [Nullable[int]] $DrainEntityBody

    [DscProperty()]
    [Nullable[int]] $RequestQueue

    [DscProperty()]
    [Nullable[int]] $IdleConnection

    [DscProperty()]
    [Nullable[int]] $HeaderWait

    [DscProperty()]
    [Nullable[long]] $MinSendBytesPerSecond

    [DscProperty()]
    [string] $ConfigPath

    [HttpSysTimeout] Get() {
        $store = Get-HttpSysPSDscStore $this.ConfigPath
        $stored = Get-HttpSysTimeout -ErrorAction Stop @store
        $current = [HttpSysTimeout]::new()
        $current.ConfigPath = $this.ConfigPath
        foreach ($timer in (Get-HttpSysPSDscTimer)) {
            $current.$timer = $stored.$timer
        }
        return $current
    }

    [bool] Test() {
        return $this.Differences().Count -eq 0
    }

    [void] Set() {
        $differences = $this.Differences()
        if ($differences.Count -eq 0) {
            Write-Verbose 'HttpSysTimeout is in the desired state; nothing changed.'
            return
        }
        $values = @{}
        foreach ($timer in $differences) {
            $values[$timer] = $this.$timer
        }
        $store = Get-HttpSysPSDscStore $this.ConfigPath
        $result = Set-HttpSysTimeout @values -PassThru -Confirm:$false -ErrorAction Stop @store
        Write-Verbose "HttpSysTimeout: $($result.Action) $($result.Target), changed: $($result.Changed)."
    }

    # The timers given whose stored value differs.
    hidden [string[]] Differences() {
        $stored = $this.Get()
        return @((Get-HttpSysPSDscTimer) | Where-Object { $null -ne $this.$_ -and $this.$_ -ne $stored.$_ })
    }
}
