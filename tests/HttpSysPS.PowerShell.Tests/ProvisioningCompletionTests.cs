using HttpSysPS.PowerShell.Tests.Infrastructure;

namespace HttpSysPS.PowerShell.Tests;

/// <summary>Tab completion of reservation URLs and binding keys from the store the command line names (HttpSysPS.psm1).</summary>
public sealed class ProvisioningCompletionTests : IClassFixture<ProvisioningSession>, IDisposable
{
    private readonly ModuleSession _session;
    private readonly ProvisioningStore _store = new();
    private readonly string _other;

    public ProvisioningCompletionTests(ProvisioningSession fixture)
    {
        _session = fixture.Session;
        _other = _store.Other("other.json");
        var (cert, key) = _store.Certificate(_session);
        Assert.Empty(_session.Run(
            "Add-UrlReservation -Url http://+:8080/ -User svc -ConfigPath $args[0]; " +
            "Add-UrlReservation -Url 'http://+:8081/a&b/' -User svc -ConfigPath $args[0]; " +
            "Add-UrlReservation -Url https://www.contoso.com:443/ -User svc -ConfigPath $args[0]; " +
            "Set-SslBinding -Key 0.0.0.0:8443 -CertificateFile $args[2] -KeyFile $args[3] -ConfigPath $args[0]; " +
            "Set-SslBinding -Key '[::]:8443' -CertificateFile $args[2] -KeyFile $args[3] -ConfigPath $args[0]; " +
            "Set-SslBinding -Key www.contoso.com:443 -CertificateFile $args[2] -KeyFile $args[3] -ConfigPath $args[0]; " +
            "Add-UrlReservation -Url http://+:9999/other/ -User svc -ConfigPath $args[1]; " +
            "Set-SslBinding -Key 10.0.0.1:9999 -CertificateFile $args[2] -KeyFile $args[3] -ConfigPath $args[1]",
            _store.Path, _other, cert, key).Errors);
    }

    public void Dispose() => _store.Dispose();

    [Theory]
    [InlineData("Get-UrlReservation -ConfigPath '{0}' -Url ", new[] { "http://+:8080/", "'http://+:8081/a&b/'", "https://www.contoso.com:443/" })]
    [InlineData("Get-UrlReservation -ConfigPath '{0}' -Url http://", new[] { "http://+:8080/", "'http://+:8081/a&b/'" })]
    [InlineData("Remove-UrlReservation -ConfigPath '{0}' 'https", new[] { "https://www.contoso.com:443/" })]
    [InlineData("Get-UrlReservation -ConfigPath '{1}' -Url ", new[] { "http://+:9999/other/" })]
    public void Url_completes_from_the_reservations_of_the_named_store(string line, string[] expected)
    {
        Assert.Equal(expected, Complete(line));
    }

    [Theory]
    [InlineData("Get-SslBinding -ConfigPath '{0}' -Key ", new[] { "[::]:8443", "0.0.0.0:8443", "www.contoso.com:443" })]
    [InlineData("Set-SslBinding -ConfigPath '{0}' -IpPort 0", new[] { "0.0.0.0:8443" })]
    [InlineData("Remove-SslBinding -ConfigPath '{0}' www", new[] { "www.contoso.com:443" })]
    [InlineData("Remove-SslBinding -ConfigPath '{1}' -HostnamePort ", new[] { "10.0.0.1:9999" })]
    public void Key_completes_from_the_bindings_of_the_named_store(string line, string[] expected)
    {
        Assert.Equal(expected, Complete(line));
    }

    [Fact]
    public void Completed_values_run_as_typed()
    {
        var line = string.Format(System.Globalization.CultureInfo.InvariantCulture, "Get-UrlReservation -ConfigPath '{0}' -Url http://+:8081", _store.Path);
        var completed = line[..line.LastIndexOf(' ')] + " " + Assert.Single(Complete(line));

        var result = _session.Run(completed + " | ForEach-Object { $_.Url.FullPrefix }");

        Assert.Empty(result.Errors);
        Assert.Equal("http://+:8081/a&b/", result.Single<string>());
    }

    private string[] Complete(string line)
    {
        var input = string.Format(System.Globalization.CultureInfo.InvariantCulture, line, _store.Path, _other);
        var result = _session.Run("(TabExpansion2 -inputScript $args[0] -cursorColumn $args[0].Length).CompletionMatches | ForEach-Object CompletionText", input);
        Assert.Empty(result.Errors);
        return result.Output.Select(o => (string)o.BaseObject).ToArray();
    }
}
