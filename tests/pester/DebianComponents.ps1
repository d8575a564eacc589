# Dot-sourced (in BeforeAll) by the Pester files whose tests run a real component from a Debian package listed in
# .ci/apt-packages; the twin of tests/HttpSysPS.Engine.Tests/Infrastructure/DebianComponents.cs.

# True when the component is there. When it is missing: under CI ($env:CI) a failure naming the install line; elsewhere
# the calling It is marked skipped with that line (and a warning), and the caller returns.
function Assert-DebianComponent([string] $Missing, [string] $Install, [string] $Component) {
    if (-not $Missing) {
        return $true
    }

    $message = "$($Missing): run '$Install' (.ci/run does this when run as root)."
    if ($env:CI) {
        throw "CI needs $($Component): $message"
    }
    Write-Warning "SKIPPED: $message"
    Set-ItResult -Skipped -Because $message
    $false
}
