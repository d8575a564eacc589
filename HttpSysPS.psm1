#Requires -Version 7.4
# Loader for HttpSysPS. The cmdlets live in HttpSysPS.Cmdlets.dll (imported below as a nested module); this
# script only makes loading safe and adds what a binary module cannot declare itself (completers, OnRemove).
Set-StrictMode -Version 3.0

$enginePath = Join-Path -Path $PSScriptRoot -ChildPath 'HttpSysPS.Engine.dll'
$cmdletsPath = Join-Path -Path $PSScriptRoot -ChildPath 'HttpSysPS.Cmdlets.dll'

# .NET cannot unload an assembly from the default load context, and a second copy of the engine with the same
# name would not be loaded at all: the cmdlets would silently bind to whatever engine came first. So a session
# that already holds another build of HttpSysPS.Engine must not import this one.
$wantedVersion = [System.Diagnostics.FileVersionInfo]::GetVersionInfo($enginePath).ProductVersion
$loadedEngine = [System.AppDomain]::CurrentDomain.GetAssemblies() |
    Where-Object { $_.GetName().Name -eq 'HttpSysPS.Engine' } |
    Select-Object -First 1
if ($null -ne $loadedEngine) {
    $informational = $loadedEngine.GetCustomAttributes([System.Reflection.AssemblyInformationalVersionAttribute], $false) |
        Select-Object -First 1
    $loadedVersion = if ($null -ne $informational) { $informational.InformationalVersion } else { $loadedEngine.GetName().Version.ToString() }
    if ($loadedVersion -ne $wantedVersion) {
        $where = if ($loadedEngine.Location) { $loadedEngine.Location } else { 'an in-memory assembly' }
        throw ("HttpSysPS: this session already has HttpSysPS.Engine version $loadedVersion loaded (from $where), " +
            "but the module in '$PSScriptRoot' needs version $wantedVersion. .NET cannot unload or replace an assembly " +
            "in a running session: start a new PowerShell session (pwsh) and run Import-Module HttpSysPS there.")
    }
}
else {
    Add-Type -LiteralPath $enginePath
}

$cmdletModule = Import-Module -Name $cmdletsPath -PassThru -ErrorAction Stop
Export-ModuleMember -Cmdlet @($cmdletModule.ExportedCmdlets.Keys)

# Tab completion of live listener names. The listener cmdlets may be absent from a build, so the completer asks
# for Get-HttpSysListener by name at completion time instead of assuming it.
$listenerNameCommands = @(
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
)
Register-ArgumentCompleter -CommandName $listenerNameCommands -ParameterName Name -ScriptBlock {
    param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
    if ($null -eq (Get-Command -Name Get-HttpSysListener -CommandType Cmdlet -ErrorAction Ignore)) {
        return
    }
    $pattern = [System.Management.Automation.WildcardPattern]::Escape(($wordToComplete -replace "^['""]|['""]$", '')) + '*'
    Get-HttpSysListener -ErrorAction Ignore |
        Where-Object { $_.Name -like $pattern } |
        Sort-Object -Property Name |
        ForEach-Object {
            $name = [string]$_.Name
            # -Name takes wildcards: a name with [ ] * ? is inserted escaped, so it matches itself and nothing else.
            $literal = [System.Management.Automation.WildcardPattern]::Escape($name)
            $text = if ($literal -match '[\s''"`$;,(){}@#|&<>\[\]*?]') { "'" + ($literal -replace "'", "''") + "'" } else { $literal }
            [System.Management.Automation.CompletionResult]::new($text, $name, 'ParameterValue', "HttpSysPS listener '$name'")
        }
}

# Tab completion of what the store holds: reservation URLs for -Url and binding keys for -Key. The store is the one
# the command line names with -ConfigPath, else the default (HTTPSYSPS_CONFIG, then the machine store), so completion
# offers exactly what the command would act on.
function Get-HttpSysPSStoreCompletion {
    param($getCommand, $wordToComplete, $fakeBoundParameters, [scriptblock]$textOf, [string]$what)
    $getArgs = @{ ErrorAction = 'Ignore' }
    if ($fakeBoundParameters.ContainsKey('ConfigPath')) {
        $getArgs['ConfigPath'] = $fakeBoundParameters['ConfigPath']
    }
    $pattern = [System.Management.Automation.WildcardPattern]::Escape(($wordToComplete -replace "^['""]|['""]$", '')) + '*'
    & $getCommand @getArgs |
        ForEach-Object { [string](& $textOf $_) } |
        Where-Object { $_ -like $pattern } |
        Sort-Object -Unique |
        ForEach-Object {
            $text = if ($_ -match '[\s''"`$;,(){}@#|&<>]') { "'" + ($_ -replace "'", "''") + "'" } else { $_ }
            [System.Management.Automation.CompletionResult]::new($text, $_, 'ParameterValue', "HttpSysPS $what '$_'")
        }
}

Register-ArgumentCompleter -CommandName Get-UrlReservation, Remove-UrlReservation -ParameterName Url -ScriptBlock {
    param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
    Get-HttpSysPSStoreCompletion Get-UrlReservation $wordToComplete $fakeBoundParameters { $args[0].Url.FullPrefix } 'URL reservation'
}

Register-ArgumentCompleter -CommandName Get-SslBinding, Set-SslBinding, Remove-SslBinding -ParameterName Key -ScriptBlock {
    param($commandName, $parameterName, $wordToComplete, $commandAst, $fakeBoundParameters)
    Get-HttpSysPSStoreCompletion Get-SslBinding $wordToComplete $fakeBoundParameters { $args[0].Key.ToString() } 'SSL binding'
}

# Listeners hold sockets and runspaces; Remove-Module must not leave them serving requests from a module that is
# gone. The cmdlets own the live listeners, so removal goes through them (no engine static state to reach into).
$MyInvocation.MyCommand.ScriptBlock.Module.OnRemove = {
    $get = Get-Command -Name Get-HttpSysListener -CommandType Cmdlet -ErrorAction Ignore
    $remove = Get-Command -Name Remove-HttpSysListener -CommandType Cmdlet -ErrorAction Ignore
    if ($null -eq $get -or $null -eq $remove) {
        return
    }
    $removeArgs = @{ Confirm = $false; ErrorAction = 'Continue' }
    if ($remove.Parameters.ContainsKey('Force')) {
        $removeArgs['Force'] = $true
    }
    Get-HttpSysListener | Remove-HttpSysListener @removeArgs
}
