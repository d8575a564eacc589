using System.Net;
using System.Security.Cryptography.X509Certificates;
using HttpSysPS.Engine.Tests.Configuration;
using HttpSysPS.Engine.Tls;

namespace HttpSysPS.Engine.Tests.Tls;

/// <summary>The self-signed development certificate behind <c>httpsys cert new</c> and New-HttpSysCertificate.</summary>
public sealed class DevelopmentCertificateTests
{
    [Fact]
    public void Names_become_DNS_and_IP_subject_alternative_names_with_the_server_authentication_EKU()
    {
        using var certificate = DevelopmentCertificate.Create(["localhost", "dev.test", "127.0.0.1", "::1"]);

        var san = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["localhost", "dev.test"], san.EnumerateDnsNames());
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], san.EnumerateIPAddresses());
        var eku = certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Equal(["1.3.6.1.5.5.7.3.1"], eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>().Select(o => o.Value));
        Assert.False(certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority);
        Assert.Equal("CN=localhost", certificate.Subject);
        Assert.True(certificate.HasPrivateKey);
        Assert.InRange(DateTime.UtcNow, certificate.NotBefore.ToUniversalTime(), certificate.NotAfter.ToUniversalTime());
    }

    [Fact]
    public void No_names_is_refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DevelopmentCertificate.Create([]));
        Assert.Equal("dnsNames", e.ParamName);
    }

    [Fact]
    public void The_PEM_pair_loads_back_and_the_key_is_readable_by_its_owner_only()
    {
        using var directory = new TempDirectory();
        using var certificate = DevelopmentCertificate.Create(["localhost"]);

        var (certFile, keyFile) = DevelopmentCertificate.WritePem(certificate, directory.File("out"));

        using var loaded = X509Certificate2.CreateFromPemFile(certFile, keyFile);
        Assert.Equal(certificate.Thumbprint, loaded.Thumbprint);
        Assert.True(loaded.HasPrivateKey);
        Assert.DoesNotContain("PRIVATE KEY", File.ReadAllText(certFile), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }
    }

    [Fact]
    public void Overwriting_a_world_readable_key_file_leaves_it_owner_only()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix permissions only.
        }

        using var directory = new TempDirectory();
        var keyFile = directory.File("key.pem");
        File.WriteAllText(keyFile, "old");
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        using var certificate = DevelopmentCertificate.Create(["localhost"]);

        DevelopmentCertificate.WritePem(certificate, directory.Path);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.Contains("BEGIN PRIVATE KEY", File.ReadAllText(keyFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_that_trusts_the_development_certificate_accepts_it_for_localhost()
    {
        using var certificate = DevelopmentCertificate.Create(["localhost"]);
        await using var server = await TlsTestServer.StartAsync();
        await server.BindAsync("127.0.0.1", certificate);
        var errors = System.Net.Security.SslPolicyErrors.None;
        var chainBuilt = false;

        await using var connection = await server.ConnectAsync("localhost", configure: o => o.RemoteCertificateValidationCallback = (_, cert, _, policyErrors) =>
        {
            errors = policyErrors;
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(certificate);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.ApplicationPolicy.Add(new System.Security.Cryptography.Oid("1.3.6.1.5.5.7.3.1"));
            chainBuilt = chain.Build(X509CertificateLoader.LoadCertificate(cert!.GetRawCertData()));
            return chainBuilt;
        });

        Assert.True(chainBuilt);

        // The name matched (SAN localhost); only the chain is untrusted by the system, which the pin replaces.
        Assert.Equal(System.Net.Security.SslPolicyErrors.None, errors & System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch);
    }

    [Fact]
    public void New_writes_the_pair_and_describes_it()
    {
        using var directory = new TempDirectory();

        var files = DevelopmentCertificate.New(["localhost"], directory.File("nested/dev-cert"));

        using var loaded = X509Certificate2.CreateFromPemFile(files.CertificateFile, files.KeyFile);
        Assert.Equal(loaded.Thumbprint, files.Thumbprint);
        Assert.Equal(loaded.NotAfter, files.NotAfter);
        Assert.Equal(directory.File("nested/dev-cert/cert.pem"), files.CertificateFile);
    }

    [Fact]
    public void New_into_a_path_that_is_a_file_is_a_typed_error_naming_it()
    {
        using var directory = new TempDirectory();
        var file = directory.File("taken");
        File.WriteAllText(file, "x");

        var e = Assert.Throws<HttpSysException>(() => DevelopmentCertificate.New(["localhost"], file));

        Assert.Equal(HttpSysErrorReason.InvalidArgument, e.Reason);
        Assert.Contains(file, e.Message, StringComparison.Ordinal);
    }
}
