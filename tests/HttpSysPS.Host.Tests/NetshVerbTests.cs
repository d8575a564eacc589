using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace HttpSysPS.Host.Tests;

public class NetshVerbTests
{
    [Fact]
    public async Task AddUrlAclTwiceIsANoOpThatExitsZeroAndKeepsTheBytes()
    {
        using var dir = new TempDirectory();
        var first = await Httpsys.RunAsync("add", "urlacl", "url=http://+:8080/api", "user=bob", dir.Config);
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("URL reservation successfully added", first.Output, StringComparison.Ordinal);
        var bytes = File.ReadAllBytes(dir.File("config.json"));

        var second = await Httpsys.RunAsync("add", "urlacl", "url=HTTP://+:8080/api/", "user=user:bob", "listen=yes", "delegate=no", dir.Config);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("already present; nothing changed", second.Output, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(dir.File("config.json")));
    }

    [Fact]
    public async Task DifferentAclIsAnErrorUnlessForced()
    {
        using var dir = new TempDirectory();
        await Httpsys.RunAsync("add", "urlacl", "url=http://+:8080/", "user=bob", dir.Config);
        var bytes = File.ReadAllBytes(dir.File("config.json"));

        var conflict = await Httpsys.RunAsync("add", "urlacl", "url=http://+:8080/", "user=alice", dir.Config);
        Assert.Equal(17, conflict.ExitCode);
        Assert.Single(conflict.Error.Trim().Split('\n'));
        Assert.StartsWith("httpsys: The URL 'http://+:8080/' is already reserved", conflict.Error, StringComparison.Ordinal);
        Assert.Equal(bytes, File.ReadAllBytes(dir.File("config.json")));

        var forced = await Httpsys.RunAsync("add", "urlacl", "url=http://+:8080/", "user=alice", "--force", dir.Config);
        Assert.Equal(0, forced.ExitCode);
        Assert.Contains("User: user:alice", (await Httpsys.RunAsync("show", "urlacl", dir.Config)).Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShowUrlAclPrintsNetshLayout()
    {
        using var dir = new TempDirectory();
        await Httpsys.RunAsync("add", "urlacl", "url=http://+:80/Temporary_Listen_Addresses/", "user=\\Everyone", dir.Config);
        await Httpsys.RunAsync("add", "urlacl", "url=http://www.contoso.com:8080/", "user=group:web", "listen=no", "delegate=yes", dir.Config);
        var (exit, output, _) = await Httpsys.RunAsync("show", "urlacl", dir.Config);
        Assert.Equal(0, exit);
        Assert.Equal(
            """

            URL Reservations:
            -----------------

                Reserved URL            : http://+:80/Temporary_Listen_Addresses/
                    User: Everyone
                        Listen: Yes
                        Delegate: No

                Reserved URL            : http://www.contoso.com:8080/
                    User: group:web
                        Listen: No
                        Delegate: Yes


            """.ReplaceLineEndings(),
            output);

        var filtered = await Httpsys.RunAsync("show", "urlacl", "url=http://WWW.contoso.com:8080", dir.Config);
        Assert.DoesNotContain("Temporary_Listen_Addresses", filtered.Output, StringComparison.Ordinal);
        Assert.Contains("www.contoso.com", filtered.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteUrlAclRemovesAndThenIsANoOp()
    {
        using var dir = new TempDirectory();
        await Httpsys.RunAsync("add", "urlacl", "url=http://+:8080/", "user=bob", dir.Config);
        var deleted = await Httpsys.RunAsync("delete", "urlacl", "url=http://+:8080/", dir.Config);
        Assert.Equal(0, deleted.ExitCode);
        Assert.Contains("successfully deleted", deleted.Output, StringComparison.Ordinal);
        var again = await Httpsys.RunAsync("delete", "urlacl", "url=http://+:8080/", "--json", dir.Config);
        Assert.Equal(0, again.ExitCode);
        Assert.False(JsonDocument.Parse(again.Output).RootElement.GetProperty("changed").GetBoolean());
    }

    [Fact]
    public async Task EnvironmentVariableSelectsTheStoreWhenNoConfigIsGiven()
    {
        using var dir = new TempDirectory();
        var path = dir.File("env/config.json");
        var result = await Httpsys.FinishAsync(Httpsys.Start(["add", "urlacl", "url=http://+:8080/", "user=bob"], configEnvironment: path));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("http://+:8080/", File.ReadAllText(path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CorruptStoreExitsNineteenNamingTheFileAndLeavesItAlone()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("config.json"), "{ oops");
        var (exit, _, error) = await Httpsys.RunAsync("add", "urlacl", "url=http://+:8080/", "user=bob", dir.Config);
        Assert.Equal(19, exit);
        Assert.Contains(dir.File("config.json"), error, StringComparison.Ordinal);
        Assert.Equal("{ oops", File.ReadAllText(dir.File("config.json")));
    }

    [Fact]
    public async Task NoWriteAccessExitsFifteenSayingRunAsRoot()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // /sys refuses file creation even to root only on Linux.
        }

        var (exit, _, error) = await Httpsys.RunAsync("add", "urlacl", "url=http://+:8080/", "user=bob", "--config=/sys/httpsys-test/config.json");
        Assert.Equal(15, exit);
        Assert.Contains("permission denied", error, StringComparison.Ordinal);
        Assert.Contains("root", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("add", "urlacl", "url=http://+:8080/", "user=bob", "bogus=1")]
    [InlineData("add", "urlacl", "url=http://+:8080/", "sddl=D:(A;;GX;;;WD)")]
    [InlineData("add", "urlacl", "url=http://+:8080/")]
    [InlineData("update", "urlacl", "url=http://+:8080/", "user=bob")]
    [InlineData("add", "urlacl", "url=http://+:8080/", "user=bob", "listen=maybe")]
    [InlineData("show", "frobnicate")]
    [InlineData("add", "timeout", "timeouttype=bogus", "value=1")]
    public async Task BadSyntaxExitsTwoWithOneLine(params string[] args)
    {
        using var dir = new TempDirectory();
        var (exit, output, error) = await Httpsys.RunAsync([.. args, dir.Config]);
        Assert.Equal(2, exit);
        Assert.Equal(string.Empty, output);
        Assert.Single(error.Trim().Split('\n'));
        Assert.False(File.Exists(dir.File("config.json")));
    }

    [Fact]
    public async Task MalformedUrlExitsTwelve()
    {
        using var dir = new TempDirectory();
        var (exit, _, error) = await Httpsys.RunAsync("add", "urlacl", "url=http://+:99999/", "user=bob", dir.Config);
        Assert.Equal(12, exit);
        Assert.Contains("out of range", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TimeoutsAddShowDelete()
    {
        using var dir = new TempDirectory();
        Assert.Equal(0, (await Httpsys.RunAsync("add", "timeout", "timeouttype=idleconnectiontimeout", "value=0x1E", dir.Config)).ExitCode);
        Assert.Equal(0, (await Httpsys.RunAsync("add", "timeout", "timeouttype=minsendrate", "value=4294967295", dir.Config)).ExitCode);
        var again = await Httpsys.RunAsync("add", "timeout", "timeouttype=IdleConnectionTimeout", "value=30", dir.Config);
        Assert.Contains("nothing changed", again.Output, StringComparison.Ordinal);

        var show = await Httpsys.RunAsync("show", "timeout", dir.Config);
        Assert.Contains("    Idle Connection Timeout (secs)   : 30\n", show.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("    Header Wait Timeout (secs)       : 120\n", show.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("    Min Send Rate (bytes/sec)        : disabled\n", show.Output.ReplaceLineEndings("\n"), StringComparison.Ordinal);

        var range = await Httpsys.RunAsync("add", "timeout", "timeouttype=headerwaittimeout", "value=65536", dir.Config);
        Assert.Equal(21, range.ExitCode);
        Assert.Contains("0-65535 seconds", range.Error, StringComparison.Ordinal);
        Assert.Single(range.Error.Trim().Split('\n'));

        Assert.Equal(0, (await Httpsys.RunAsync("delete", "timeout", "timeouttype=idleconnectiontimeout", dir.Config)).ExitCode);
        var json = JsonDocument.Parse((await Httpsys.RunAsync("show", "timeout", "--json", dir.Config)).Output).RootElement;
        Assert.Equal(0, json.GetProperty("idleconnectiontimeout").GetProperty("value").GetInt32());
        Assert.Equal(120, json.GetProperty("idleconnectiontimeout").GetProperty("effective").GetInt32());
    }

    [Fact]
    public async Task SslCertLifecycleWithRealCertificateFiles()
    {
        using var dir = new TempDirectory();
        var (cert, key) = WritePem(dir, "good", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        string[] add = ["add", "sslcert", "ipport=0.0.0.0:8443", $"certfile={cert}", $"keyfile={key}", "appid={00112233-4455-6677-8899-aabbccddeeff}", "clientcertnegotiation=enable", dir.Config];
        var added = await Httpsys.RunAsync(add);
        Assert.True(added.ExitCode == 0, added.Error);
        Assert.Contains("SSL Certificate successfully added", added.Output, StringComparison.Ordinal);
        Assert.Contains("nothing changed", (await Httpsys.RunAsync(add)).Output, StringComparison.Ordinal);

        var different = await Httpsys.RunAsync("add", "sslcert", "ipport=0.0.0.0:8443", $"certfile={cert}", $"keyfile={key}", dir.Config);
        Assert.Equal(17, different.ExitCode);
        var updated = await Httpsys.RunAsync("update", "sslcert", "ipport=0.0.0.0:8443", $"certfile={cert}", $"keyfile={key}", "disablehttp2=yes", dir.Config);
        Assert.Equal(0, updated.ExitCode);
        Assert.Equal(18, (await Httpsys.RunAsync("update", "sslcert", "hostnameport=www.contoso.com:443", $"certfile={cert}", $"keyfile={key}", dir.Config)).ExitCode);

        var show = (await Httpsys.RunAsync("show", "sslcert", "ipport=0.0.0.0:8443", dir.Config)).Output.ReplaceLineEndings("\n");
        Assert.Contains("    IP:port                      : 0.0.0.0:8443\n", show, StringComparison.Ordinal);
        Assert.Contains("    Certificate Hash             : (null)\n", show, StringComparison.Ordinal);
        Assert.Contains($"    Certificate File             : {cert}\n", show, StringComparison.Ordinal);
        Assert.Contains("    Application ID               : {00000000-0000-0000-0000-000000000000}\n", show, StringComparison.Ordinal);
        Assert.Contains("    Disable HTTP2                : Set\n", show, StringComparison.Ordinal);

        Assert.Equal(0, (await Httpsys.RunAsync("delete", "sslcert", "ipport=0.0.0.0:8443", dir.Config)).ExitCode);
        var empty = JsonDocument.Parse((await Httpsys.RunAsync("show", "sslcert", "--json", dir.Config)).Output).RootElement;
        Assert.Equal(0, empty.GetProperty("sslBindings").GetArrayLength());
    }

    /// <summary>
    /// Every TLS flag of netsh sslcert is stored (no "not supported" warning), shown by <c>show sslcert</c> in netsh's
    /// words and in <c>--json</c>, and survives a reload; <c>enabletokenbinding=enable</c> is refused and writes nothing.
    /// </summary>
    [Fact]
    public async Task SslCertTlsFlagsAreStoredAndShownAndTokenBindingIsRefused()
    {
        using var dir = new TempDirectory();
        var (cert, key) = WritePem(dir, "flags", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var added = await Httpsys.RunAsync(
            "add", "sslcert", "ipport=0.0.0.0:8443", $"certfile={cert}", $"keyfile={key}", "disablelegacytls=enable", "disablequic=enable",
            "disableocspstapling=enable", "enablesessionticket=enable", "disablesessionid=enable", "logextendedevents=enable", "enabletokenbinding=disable", dir.Config);
        Assert.True(added.ExitCode == 0, added.Error);
        Assert.DoesNotContain("not supported", added.Error, StringComparison.Ordinal);

        var show = (await Httpsys.RunAsync("show", "sslcert", "ipport=0.0.0.0:8443", dir.Config)).Output.ReplaceLineEndings("\n");
        foreach (var line in new[]
        {
            "Disable QUIC                 : Set", "Disable OCSP Stapling        : Set", "Disable Legacy TLS Versions  : Set",
            "Enable Token Binding         : Not Set", "Log Extended Events          : Set", "Enable Session Ticket        : Set",
            "Disable Session ID           : Set", "Disable TLS1.2               : Not Set",
        })
        {
            Assert.Contains("    " + line + "\n", show, StringComparison.Ordinal);
        }

        var json = JsonDocument.Parse((await Httpsys.RunAsync("show", "sslcert", "--json", dir.Config)).Output).RootElement.GetProperty("sslBindings")[0];
        foreach (var name in new[] { "disableLegacyTls", "disableQuic", "disableOcspStapling", "enableSessionTicket", "disableSessionId", "logExtendedEvents" })
        {
            Assert.True(json.GetProperty(name).GetBoolean(), name);
        }

        Assert.False(json.GetProperty("enableTokenBinding").GetBoolean());

        var before = File.ReadAllBytes(dir.File("config.json"));
        var refused = await Httpsys.RunAsync("add", "sslcert", "ipport=0.0.0.0:9443", $"certfile={cert}", $"keyfile={key}", "enabletokenbinding=enable", dir.Config);
        Assert.Equal(21, refused.ExitCode);
        Assert.Contains("enabletokenbinding is not supported", refused.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(dir.File("config.json")));
    }

    [Fact]
    public async Task SslCertExpiredWarnsMissingKeyFailsAndUnsupportedNetshKeysWarn()
    {
        using var dir = new TempDirectory();
        var (oldCert, oldKey) = WritePem(dir, "old", DateTimeOffset.UtcNow.AddDays(-30), DateTimeOffset.UtcNow.AddDays(-1));
        var expired = await Httpsys.RunAsync("add", "sslcert", "hostnameport=old.example:443", $"certfile={oldCert}", $"keyfile={oldKey}", "verifyclientcertrevocation=enable", dir.Config);
        Assert.Equal(0, expired.ExitCode);
        Assert.Contains("warning: The certificate 'CN=old'", expired.Error, StringComparison.Ordinal);
        Assert.Contains("expired on", expired.Error, StringComparison.Ordinal);
        Assert.Contains("'verifyclientcertrevocation=' is not supported", expired.Error, StringComparison.Ordinal);

        var before = File.ReadAllBytes(dir.File("config.json"));
        var noKey = await Httpsys.RunAsync("add", "sslcert", "ipport=0.0.0.0:443", $"certfile={oldCert}", dir.Config);
        Assert.Equal(20, noKey.ExitCode);
        Assert.Contains("has no private key", noKey.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(dir.File("config.json")));
    }

    private static (string Cert, string Key) WritePem(TempDirectory dir, string name, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256).CreateSelfSigned(notBefore, notAfter);
        File.WriteAllText(dir.File(name + ".crt"), certificate.ExportCertificatePem());
        File.WriteAllText(dir.File(name + ".key"), key.ExportPkcs8PrivateKeyPem());
        return (dir.File(name + ".crt"), dir.File(name + ".key"));
    }
}
