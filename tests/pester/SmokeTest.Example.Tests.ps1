#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
# Smoke tests for a small site served by HttpSysPS: static pages and a JSON API on one free port.
# Run: Invoke-Pester -Path ./SmokeTest.Example.Tests.ps1 -Output Detailed

BeforeAll {
    # The installed module by name; HttpSysPS's own test suite points HTTPSYSPS_MODULE_DIR at the build it tests.
    if ($env:HTTPSYSPS_MODULE_DIR) {
        Import-Module -Name (Join-Path -Path $env:HTTPSYSPS_MODULE_DIR -ChildPath 'HttpSysPS.psd1') -ErrorAction Stop
    }
    else {
        Import-Module -Name HttpSysPS -ErrorAction Stop
    }

    # A configuration store of the test's own, so the machine's URL reservations and SSL bindings play no part
    # (http://localhost on port 0 needs no reservation). Set it before the first listener is created.
    $savedConfig = $env:HTTPSYSPS_CONFIG
    $env:HTTPSYSPS_CONFIG = Join-Path -Path $TestDrive -ChildPath 'httpsys-config.json'

    # The site under test. Point -StaticRoot at your own site's folder instead.
    $root = Join-Path -Path $TestDrive -ChildPath 'site'
    New-Item -ItemType Directory -Path (Join-Path -Path $root -ChildPath 'css') -Force | Out-Null
    Set-Content -LiteralPath (Join-Path -Path $root -ChildPath 'index.html') -Value '<!DOCTYPE html><title>Shop</title><h1>Welcome to the shop</h1>'
    Set-Content -LiteralPath (Join-Path -Path $root -ChildPath 'css/site.css') -Value 'h1 { color: teal; }'

    # Port 0 takes a free port; BoundUrl holds the real one once the listener has started.
    $site = New-HttpSysListener -Name smoke-site -UrlPrefix 'http://localhost:0/' -StaticRoot $root -Start -ErrorAction Stop
    $baseUrl = $site.BoundUrl[0]

    # The API shares the site's port: HTTP.sys routing sends /api/ to the listener with the longer prefix.
    $api = New-HttpSysListener -Name smoke-api -UrlPrefix "${baseUrl}api/" -Start -ErrorAction Stop -ScriptBlock {
        switch ($Request.RelativePath) {
            '/health' { @{ status = 'ok'; method = $Request.Method } }
            default { $Response.StatusCode = 404; @{ error = "no route '$($Request.RelativePath)'" } }
        }
    }
}

AfterAll {
    Remove-HttpSysListener -Name smoke-site, smoke-api -Force -ErrorAction SilentlyContinue
    $env:HTTPSYSPS_CONFIG = $savedConfig
}

Describe 'The shop site' {
    It 'listens on a free port' {
        $site.State | Should -Be 'Started'
        ([uri]$baseUrl).Port | Should -BeGreaterThan 0
    }

    It 'serves the home page as HTML' {
        $response = Invoke-WebRequest -Uri $baseUrl
        $response.StatusCode | Should -Be 200
        $response.Headers['Content-Type'] | Should -BeLike 'text/html*'
        $response.Content | Should -Match '<h1>Welcome to the shop</h1>'
    }

    It 'serves the stylesheet' {
        $response = Invoke-WebRequest -Uri "${baseUrl}css/site.css"
        $response.Headers['Content-Type'] | Should -BeLike 'text/css*'
    }

    It 'answers 404 for a page that does not exist' {
        $response = Invoke-WebRequest -Uri "${baseUrl}no-such-page.html" -SkipHttpErrorCheck
        $response.StatusCode | Should -Be 404
    }
}

Describe 'The shop API' {
    It 'reports its health as JSON' {
        $health = Invoke-RestMethod -Uri "${baseUrl}api/health"
        $health.status | Should -Be 'ok'
        $health.method | Should -Be 'GET'
    }

    It 'answers an unknown route with 404 and a JSON error' {
        $response = Invoke-WebRequest -Uri "${baseUrl}api/nothing-here" -SkipHttpErrorCheck
        $response.StatusCode | Should -Be 404
        $response.Headers['Content-Type'] | Should -BeLike 'application/json*'
        ($response.Content | ConvertFrom-Json).error | Should -Be "no route '/nothing-here'"
    }
}
