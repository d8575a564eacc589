using System.Text.Json;

namespace HttpSysPS.Host.Tests;

/// <summary>
/// <c>--json</c> on a netsh verb that changes the store prints the change report the cmdlets' -PassThru writes
/// (docs/configuration-management.md): changed, kind, action, target, warnings.
/// </summary>
public class NetshChangeReportTests
{
    [Fact]
    public async Task EveryMutationReportsChangedKindActionAndTarget()
    {
        using var dir = new TempDirectory();
        var (cert, key) = Pem(dir);
        string[][] lines =
        [
            ["add", "urlacl", "url=HTTP://+:8080/api", "user=svc"],
            ["add", "sslcert", "ipport=0.0.0.0:8443", "certfile=" + cert, "keyfile=" + key],
            ["add", "timeout", "timeouttype=idleconnectiontimeout", "value=60"],
            ["delete", "urlacl", "url=http://+:8080/api/"],
            ["delete", "sslcert", "ipport=0.0.0.0:8443"],
        ];
        (string Kind, string Action, string Target)[] expected =
        [
            ("UrlReservation", "Add", "http://+:8080/api/"),
            ("SslBinding", "Add", "0.0.0.0:8443"),
            ("HttpSysTimeout", "Set", "IdleConnection"),
            ("UrlReservation", "Remove", "http://+:8080/api/"),
            ("SslBinding", "Remove", "0.0.0.0:8443"),
        ];

        for (var i = 0; i < lines.Length; i++)
        {
            foreach (var changed in new[] { true, false })
            {
                var (exit, output, error) = await Httpsys.RunAsync([.. lines[i], "--json", dir.Config]);
                Assert.True(exit == 0, error);
                var report = JsonDocument.Parse(output).RootElement;
                Assert.Equal(changed, report.GetProperty("changed").GetBoolean());
                Assert.Equal(expected[i].Kind, report.GetProperty("kind").GetString());
                Assert.Equal(expected[i].Action, report.GetProperty("action").GetString());
                Assert.Equal(expected[i].Target, report.GetProperty("target").GetString());
                Assert.Equal(JsonValueKind.Array, report.GetProperty("warnings").ValueKind);
            }
        }
    }

    [Fact]
    public async Task AddSslCertWithForceReplacesADifferentBindingAndIsThenANoOp()
    {
        using var dir = new TempDirectory();
        var (cert, key) = Pem(dir);
        await Httpsys.RunAsync("add", "sslcert", "ipport=0.0.0.0:8443", "certfile=" + cert, "keyfile=" + key, dir.Config);

        var plain = await Httpsys.RunAsync("add", "sslcert", "ipport=0.0.0.0:8443", "certfile=" + cert, "keyfile=" + key, "disablehttp2=yes", dir.Config);
        Assert.Equal(17, plain.ExitCode);

        string[] forced = ["add", "sslcert", "ipport=0.0.0.0:8443", "certfile=" + cert, "keyfile=" + key, "disablehttp2=yes", "--force", "--json", dir.Config];
        var first = JsonDocument.Parse((await Httpsys.RunAsync(forced)).Output).RootElement;
        Assert.True(first.GetProperty("changed").GetBoolean());
        Assert.Equal("Set", first.GetProperty("action").GetString());
        Assert.False(JsonDocument.Parse((await Httpsys.RunAsync(forced)).Output).RootElement.GetProperty("changed").GetBoolean());
    }

    private static (string Cert, string Key) Pem(TempDirectory dir)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        using var certificate = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=site", key, System.Security.Cryptography.HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        File.WriteAllText(dir.File("site.crt"), certificate.ExportCertificatePem());
        File.WriteAllText(dir.File("site.key"), key.ExportPkcs8PrivateKeyPem());
        return (dir.File("site.crt"), dir.File("site.key"));
    }
}
