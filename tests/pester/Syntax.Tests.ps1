# Every PowerShell file of the repository parses with PowerShell's own parser (the authority; the tree-sitter
# pre-check of earlier builds is no longer needed now that pwsh runs here).

BeforeDiscovery {
    $root = (Resolve-Path -LiteralPath (Join-Path -Path $PSScriptRoot -ChildPath '../..')).Path
    $skip = [regex]'[\\/](bin|obj|artifacts|node_modules|\.git)[\\/]'
    $files = @(Get-ChildItem -LiteralPath $root -Recurse -File -Include '*.ps1', '*.psm1', '*.psd1' |
        Where-Object { -not $skip.IsMatch($_.FullName) } |
        ForEach-Object { @{ Path = $_.FullName; Name = [System.IO.Path]::GetRelativePath($root, $_.FullName) } })
}

Describe 'PowerShell syntax' {
    It 'finds the module files' -TestCases @(@{ Names = @($files.Name) }) {
        $Names | Should -Contain 'HttpSysPS.psm1'
        $Names | Should -Contain 'HttpSysPS.psd1'
    }

    It '<Name> parses without errors' -ForEach $files {
        $tokens = $null
        $errors = $null
        $null = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref] $tokens, [ref] $errors)
        @($errors | ForEach-Object { "$($_.Extent.StartLineNumber):$($_.Extent.StartColumnNumber) $($_.Message)" }) | Should -BeNullOrEmpty
    }
}
