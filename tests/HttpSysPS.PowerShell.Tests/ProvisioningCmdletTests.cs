using System.Management.Automation;
using HttpSysPS.PowerShell.Tests.Infrastructure;

namespace HttpSysPS.PowerShell.Tests;

/// <summary>
/// The provisioning cmdlets as a user runs them: wildcard lookups with NotFound, Get-X | Set/Add/Remove-X binding by
/// property name, and the -PassThru change report (docs/provisioning.md). Every test has its own store.
/// </summary>
public sealed class ProvisioningCmdletTests : IClassFixture<ProvisioningSession>, IDisposable
{
    private readonly ModuleSession _session;
    private readonly ProvisioningStore _store = new();

    public ProvisioningCmdletTests(ProvisioningSession fixture) => _session = fixture.Session;

    public void Dispose() => _store.Dispose();

    [Fact]
    public void Get_UrlReservation_matches_a_pattern_case_insensitively_against_the_normalised_url()
    {
        Reserve("http://+:8080/", "http://+:8081/api", "https://www.contoso.com:443/");

        var result = _session.Run("Get-UrlReservation -Url 'HTTP://+:808*' -ConfigPath $args[0] | ForEach-Object { $_.Url.FullPrefix }", _store.Path);

        Assert.Empty(result.Errors);
        Assert.Equal(["http://+:8080/", "http://+:8081/api/"], Strings(result));
    }

    [Fact]
    public void Get_UrlReservation_reports_NotFound_for_a_url_without_wildcards_and_still_answers_the_others()
    {
        Reserve("http://+:8080/");

        var result = _session.Run("Get-UrlReservation -Url 'http://+:9090/', 'HTTP://+:8080' -ConfigPath $args[0] | ForEach-Object { $_.Url.FullPrefix }", _store.Path);

        Assert.Equal(["http://+:8080/"], Strings(result));
        var error = Assert.Single(result.Errors);
        Assert.Equal("NotFound,HttpSysPS.Cmdlets.GetUrlReservationCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        Assert.Equal("http://+:9090/", error.TargetObject);
    }

    [Fact]
    public void Get_UrlReservation_pattern_that_matches_nothing_is_not_an_error_but_a_malformed_url_is()
    {
        Reserve("http://+:8080/");

        var pattern = _session.Run("Get-UrlReservation -Url 'https://*' -ConfigPath $args[0]", _store.Path);
        var malformed = _session.Run("Get-UrlReservation -Url 'http://+:99999/' -ConfigPath $args[0]", _store.Path);

        Assert.Empty(pattern.Output);
        Assert.Empty(pattern.Errors);
        Assert.Equal("MalformedPrefix,HttpSysPS.Cmdlets.GetUrlReservationCommand", Assert.Single(malformed.Errors).FullyQualifiedErrorId);
    }

    [Theory]
    [InlineData("http://[::1]:8080/", new[] { "http://[::1]:8080/" })]
    [InlineData("http://`*:8080/", new[] { "http://*:8080/" })]
    [InlineData("http://*:8080/", new[] { "http://*:8080/", "http://+:8080/", "http://[::1]:8080/" })]
    public void Get_UrlReservation_finds_urls_whose_hosts_are_wildcard_characters(string url, string[] expected)
    {
        Reserve("http://[::1]:8080/", "http://*:8080/", "http://+:8080/");

        var result = _session.Run("Get-UrlReservation -Url $args[1] -ConfigPath $args[0] | ForEach-Object { $_.Url.FullPrefix }", _store.Path, url);

        Assert.Empty(result.Errors);
        Assert.Equal(expected.Order(StringComparer.Ordinal), Strings(result).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("'*:8443'", new[] { "0.0.0.0:8443", "[::]:8443" })]
    [InlineData("'WWW.CONTOSO.COM:443'", new[] { "www.contoso.com:443" })]
    [InlineData("'[::]:8443'", new[] { "[::]:8443" })]
    [InlineData("-IpPort '0.0.0.0:*'", new[] { "0.0.0.0:8443" })]
    public void Get_SslBinding_matches_keys_literally_and_by_pattern(string keyArgument, string[] expected)
    {
        Bind("0.0.0.0:8443", "[::]:8443", "www.contoso.com:443");

        var result = _session.Run($"Get-SslBinding {keyArgument} -ConfigPath $args[0] | ForEach-Object {{ $_.Key.ToString() }}", _store.Path);

        Assert.Empty(result.Errors);
        Assert.Equal(expected, Strings(result));
    }

    [Fact]
    public void Get_SslBinding_reports_NotFound_for_a_key_without_wildcards()
    {
        Bind("0.0.0.0:8443");

        var result = _session.Run("Get-SslBinding -Key 1.2.3.4:443 -ConfigPath $args[0]", _store.Path);

        Assert.Empty(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.Equal("NotFound,HttpSysPS.Cmdlets.GetSslBindingCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
    }

    [Fact]
    public void Get_SslBinding_piped_to_Set_SslBinding_reapplies_every_setting_and_changes_nothing()
    {
        var (cert, key) = _store.Certificate(_session);
        // Non-default switches and AppId: if any of them failed to bind from the pipeline, the re-applied binding would differ.
        Assert.Empty(_session.Run(
            "Set-SslBinding -Key 0.0.0.0:8443 -CertificateFile $args[1] -KeyFile $args[2] -AppId ([guid]'6f3a9c1e-0000-4000-8000-000000000001') -NegotiateClientCertificate -DisableTls12 -DisableHttp2 -ConfigPath $args[0]; " +
            "Set-SslBinding -Key www.contoso.com:443 -CertificateFile $args[1] -KeyFile $args[2] -DisableTls13 -ConfigPath $args[0]",
            _store.Path, cert, key).Errors);
        var before = _store.Bytes();

        var result = _session.Run("Get-SslBinding -ConfigPath $args[0] | Set-SslBinding -ConfigPath $args[0] -PassThru", _store.Path);

        Assert.Empty(result.Errors);
        Assert.Equal(2, result.Output.Count);
        Assert.All(result.Output, r => Assert.False((bool)r.Properties["Changed"].Value));
        Assert.Equal(before, _store.Bytes());
    }

    [Fact]
    public void Get_SslBinding_piped_to_Set_SslBinding_copies_the_bindings_to_another_store()
    {
        Bind("0.0.0.0:8443", "www.contoso.com:443");
        var copy = _store.Other("copy.json");

        var result = _session.Run("Get-SslBinding -ConfigPath $args[0] | Set-SslBinding -ConfigPath $args[1] -PassThru", _store.Path, copy);

        Assert.Empty(result.Errors);
        Assert.All(result.Output, r => Assert.True((bool)r.Properties["Changed"].Value));
        Assert.Equal(_store.Bytes(), File.ReadAllBytes(copy));
    }

    [Fact]
    public void A_switch_on_the_command_line_wins_over_the_piped_property()
    {
        Bind("0.0.0.0:443", "www.contoso.com:443", "0.0.0.0:8443");

        var result = _session.Run(
            "Get-SslBinding -Key '*:443' -ConfigPath $args[0] | Set-SslBinding -DisableTls12 -ConfigPath $args[0] -PassThru | ForEach-Object { '{0} {1}' -f $_.Target, $_.Changed }; " +
            "Get-SslBinding -ConfigPath $args[0] | ForEach-Object { '{0} {1}' -f $_.Key, $_.DisableTls12 }",
            _store.Path);

        var lines = Strings(result);
        Assert.Empty(result.Errors);
        Assert.Equal(["0.0.0.0:443 True", "www.contoso.com:443 True"], lines[..2].Order(StringComparer.Ordinal));
        Assert.Equal(["0.0.0.0:443 True", "0.0.0.0:8443 False", "www.contoso.com:443 True"], lines[2..].Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Get_UrlReservation_piped_to_Add_UrlReservation_keeps_each_principals_rights()
    {
        Assert.Empty(_session.Run(
            "Add-UrlReservation -Url http://+:8080/ -User svc, group:web -ConfigPath $args[0]; " +
            "Add-UrlReservation -Url https://www.contoso.com:443/ -User admin -Delegate -Listen $false -ConfigPath $args[0]",
            _store.Path).Errors);
        var before = _store.Bytes();
        var copy = _store.Other("copy.json");

        var again = _session.Run("Get-UrlReservation -ConfigPath $args[0] | Add-UrlReservation -ConfigPath $args[0] -PassThru", _store.Path);
        var copied = _session.Run("Get-UrlReservation -ConfigPath $args[0] | Add-UrlReservation -ConfigPath $args[1] -PassThru", _store.Path, copy);

        Assert.Empty(again.Errors);
        Assert.Equal([false, false], again.Output.Select(r => (bool)r.Properties["Changed"].Value));
        Assert.Equal(before, _store.Bytes());
        Assert.Empty(copied.Errors);
        Assert.Equal([true, true], copied.Output.Select(r => (bool)r.Properties["Changed"].Value));
        Assert.Equal(before, File.ReadAllBytes(copy));
    }

    [Fact]
    public void Get_piped_to_Remove_empties_the_store_and_reports_each_removal()
    {
        Reserve("http://+:8080/a/", "http://+:8080/b/");
        Bind("0.0.0.0:8443");

        var removed = _session.Run(
            "Get-UrlReservation -ConfigPath $args[0] | Remove-UrlReservation -ConfigPath $args[0] -PassThru; " +
            "Get-SslBinding -ConfigPath $args[0] | Remove-SslBinding -ConfigPath $args[0] -PassThru",
            _store.Path);
        var left = _session.Run("@(Get-UrlReservation -ConfigPath $args[0]).Count + @(Get-SslBinding -ConfigPath $args[0]).Count", _store.Path);

        Assert.Empty(removed.Errors);
        Assert.Equal(["http://+:8080/a/", "http://+:8080/b/", "0.0.0.0:8443"], removed.Output.Select(r => (string)r.Properties["Target"].Value));
        Assert.All(removed.Output, r => Assert.True((bool)r.Properties["Changed"].Value));
        Assert.All(removed.Output, r => Assert.Null(r.Properties["Item"].Value));
        Assert.Equal(0, left.Single<int>());
    }

    public static TheoryData<string, string, string, string, string> PassThruCases => new()
    {
        { "Add-UrlReservation -Url 'HTTP://+:8080' -User svc", "UrlReservation", "Add", "http://+:8080/", "UrlReservation" },
        { "Set-SslBinding -Key 0.0.0.0:8443 -CertificateFile $args[1] -KeyFile $args[2]", "SslBinding", "Set", "0.0.0.0:8443", "SslBinding" },
        { "Set-HttpSysTimeout -HeaderWait 30 -IdleConnection 60", "HttpSysTimeout", "Set", "IdleConnection, HeaderWait", "TimeoutLimits" },
    };

    [Theory]
    [MemberData(nameof(PassThruCases))]
    public void PassThru_reports_Changed_true_then_false_with_kind_action_target_and_item(string command, string kind, string action, string target, string itemType)
    {
        var (cert, key) = _store.Certificate(_session);
        var script = $"{command} -ConfigPath $args[0] -PassThru";

        var first = _session.Run(script, _store.Path, cert, key);
        var second = _session.Run(script, _store.Path, cert, key);

        Assert.Empty(first.Errors);
        Assert.Empty(second.Errors);
        foreach (var (result, changed) in new[] { (first, true), (second, false) })
        {
            var report = Assert.Single(result.Output);
            Assert.Equal("HttpSysPS.Cmdlets.ProvisioningResult", report.BaseObject.GetType().FullName);
            Assert.Equal(changed, (bool)report.Properties["Changed"].Value);
            Assert.Equal(kind, report.Properties["Kind"].Value);
            Assert.Equal(action, report.Properties["Action"].Value);
            Assert.Equal(target, report.Properties["Target"].Value);
            Assert.Equal(itemType, report.Properties["Item"].Value.GetType().Name);
            Assert.Empty((string[])report.Properties["Warnings"].Value);
        }
    }

    [Theory]
    [InlineData("Remove-UrlReservation -Url http://+:8080/", "UrlReservation", "http://+:8080/")]
    [InlineData("Remove-SslBinding -Key 0.0.0.0:8443", "SslBinding", "0.0.0.0:8443")]
    public void Remove_PassThru_reports_Changed_true_then_false(string command, string kind, string target)
    {
        Reserve("http://+:8080/");
        Bind("0.0.0.0:8443");
        var script = $"{command} -ConfigPath $args[0] -PassThru | ForEach-Object {{ '{{0}} {{1}} {{2}} {{3}} {{4}}' -f $_.Kind, $_.Action, $_.Target, $_.Changed, ($null -eq $_.Item) }}";

        var first = _session.Run(script, _store.Path);
        var second = _session.Run(script, _store.Path);

        Assert.Equal([$"{kind} Remove {target} True True"], Strings(first));
        Assert.Equal([$"{kind} Remove {target} False True"], Strings(second));
    }

    [Fact]
    public void PassThru_carries_the_certificate_warnings()
    {
        var expired = _session.Run(
            "$key = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256); " +
            "$request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=expired', $key, 'SHA256'); " +
            "$cert = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-30), [DateTimeOffset]::UtcNow.AddDays(-1)); " +
            "Set-Content -LiteralPath $args[0] -Value $cert.ExportCertificatePem(); Set-Content -LiteralPath $args[1] -Value $key.ExportPkcs8PrivateKeyPem()",
            _store.Other("old.crt"), _store.Other("old.key"));
        Assert.Empty(expired.Errors);

        var result = _session.Run("Set-SslBinding -Key 0.0.0.0:8443 -CertificateFile $args[1] -KeyFile $args[2] -ConfigPath $args[0] -PassThru", _store.Path, _store.Other("old.crt"), _store.Other("old.key"));

        var warning = Assert.Single(result.Warnings);
        var report = Assert.Single(result.Output);
        Assert.True((bool)report.Properties["Changed"].Value);
        Assert.Equal([warning], (string[])report.Properties["Warnings"].Value);
    }

    [Theory]
    [InlineData("Add-UrlReservation -Url http://+:8080/ -User svc")]
    [InlineData("Remove-UrlReservation -Url http://+:8080/")]
    [InlineData("Set-SslBinding -Key 0.0.0.0:8443 -CertificateFile $args[1] -KeyFile $args[2]")]
    [InlineData("Remove-SslBinding -Key 0.0.0.0:8443")]
    [InlineData("Set-HttpSysTimeout -IdleConnection 60")]
    public void Without_PassThru_a_change_writes_nothing_to_the_pipeline(string command)
    {
        var (cert, key) = _store.Certificate(_session);
        var beforeRemove = command.StartsWith("Remove-", StringComparison.Ordinal)
            ? _session.Run("Add-UrlReservation -Url http://+:8080/ -User svc -ConfigPath $args[0]; Set-SslBinding -Key 0.0.0.0:8443 -CertificateFile $args[1] -KeyFile $args[2] -ConfigPath $args[0]", _store.Path, cert, key)
            : null;
        Assert.Empty(beforeRemove?.Errors ?? []);
        var before = _store.Bytes();

        var result = _session.Run($"{command} -ConfigPath $args[0]", _store.Path, cert, key);

        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        Assert.NotEqual(before, _store.Bytes());
    }

    [Fact]
    public void ProvisioningResult_is_shown_as_a_table_of_changes()
    {
        var text = _session.RunText("Add-UrlReservation -Url http://+:8080/ -User svc -ConfigPath $args[0] -PassThru | Out-String -Width 200", _store.Path);

        Assert.Matches(@"Changed\s+Action\s+Kind\s+Target\s+Warnings", text);
        Assert.Matches(@"True\s+Add\s+UrlReservation\s+http://\+:8080/", text);
    }

    private void Reserve(params string[] urls)
    {
        foreach (var url in urls)
        {
            Assert.Empty(_session.Run("Add-UrlReservation -Url $args[1] -User svc -ConfigPath $args[0]", _store.Path, url).Errors);
        }
    }

    private void Bind(params string[] keys)
    {
        var (cert, key) = _store.Certificate(_session);
        foreach (var bindingKey in keys)
        {
            Assert.Empty(_session.Run("Set-SslBinding -Key $args[1] -CertificateFile $args[2] -KeyFile $args[3] -ConfigPath $args[0]", _store.Path, bindingKey, cert, key).Errors);
        }
    }

    private static string[] Strings(ModuleSession.Result result) => result.Output.Select(o => (string)o.BaseObject).ToArray();
}
