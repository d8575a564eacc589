#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Pester 5 tests of the module surface, for machines with pwsh (none of our build machines has it).
# Run after `dotnet build`: ./build.ps1 -Test, or Invoke-Pester tests/pester. The module is imported from the staged
# folder (artifacts/module/HttpSysPS, or $env:HTTPSYSPS_MODULE_DIR when set).

BeforeDiscovery {
    $moduleDir = if ($env:HTTPSYSPS_MODULE_DIR) { $env:HTTPSYSPS_MODULE_DIR } else { Join-Path -Path $PSScriptRoot -ChildPath '../../artifacts/module/HttpSysPS' }
    $manifestData = Import-PowerShellDataFile -LiteralPath (Join-Path -Path $moduleDir -ChildPath 'HttpSysPS.psd1')
    $cmdletNames = @($manifestData.CmdletsToExport)
}

BeforeAll {
    $moduleDir = if ($env:HTTPSYSPS_MODULE_DIR) { $env:HTTPSYSPS_MODULE_DIR } else { Join-Path -Path $PSScriptRoot -ChildPath '../../artifacts/module/HttpSysPS' }
    $moduleDir = (Resolve-Path -LiteralPath $moduleDir).Path
    $manifestPath = Join-Path -Path $moduleDir -ChildPath 'HttpSysPS.psd1'
    $manifestData = Import-PowerShellDataFile -LiteralPath $manifestPath
    $module = Import-Module -Name $manifestPath -Force -PassThru -ErrorAction Stop
}

AfterAll {
    Remove-Module -Name HttpSysPS -Force -ErrorAction Ignore
}

Describe 'HttpSysPS module' {
    It 'imports from the staged folder' {
        $module.ModuleBase | Should -Be $moduleDir
        $module.Version | Should -Be ([version]$manifestData.ModuleVersion)
    }

    It 'passes Test-ModuleManifest' {
        { Test-ModuleManifest -Path $manifestPath -ErrorAction Stop } | Should -Not -Throw
    }

    It 'exports exactly the cmdlets of the manifest' {
        $exported = @($module.ExportedCmdlets.Keys | Sort-Object)
        $expected = @($manifestData.CmdletsToExport | Sort-Object)
        $exported | Should -Be $expected
    }

    It 'exports no functions, aliases or variables' {
        $module.ExportedFunctions.Count | Should -Be 0
        $module.ExportedAliases.Count | Should -Be 0
        $module.ExportedVariables.Count | Should -Be 0
    }

    It 'loads the engine from the module folder' {
        $engine = [System.AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'HttpSysPS.Engine' }
        @($engine).Count | Should -Be 1
        $engine.Location | Should -Be (Join-Path -Path $moduleDir -ChildPath 'HttpSysPS.Engine.dll')
    }

    It 'loads every format file of the manifest' {
        foreach ($format in $manifestData.FormatsToProcess) {
            Join-Path -Path $moduleDir -ChildPath $format | Should -Exist
        }
    }
}

Describe 'Help of <_>' -ForEach $cmdletNames {
    BeforeAll {
        $name = $_
        $help = Get-Help -Name $name -Full -ErrorAction Stop
    }

    It 'has a synopsis from the MAML file, not the generated syntax stub' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis.Trim() | Should -Not -BeLike "$name *"
    }

    It 'has at least one example' {
        @($help.Examples.Example).Count | Should -BeGreaterOrEqual 1
    }

    It 'describes every parameter' {
        $command = Get-Command -Name $name
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        $documented = @($help.Parameters.Parameter | ForEach-Object { $_.Name })
        foreach ($parameter in $command.Parameters.Keys | Where-Object { $_ -notin $common }) {
            $documented | Should -Contain $parameter
        }
    }
}
