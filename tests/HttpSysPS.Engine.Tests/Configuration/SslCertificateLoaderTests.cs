using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Engine.Tests.Configuration;

public class SslCertificateLoaderTests
{
    private static readonly SslBindingKey Key = SslBindingKey.Parse("0.0.0.0:443");
    private static readonly DateTimeOffset Now = new(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static SslCertificateLoader Loader() => new(new FixedTimeProvider(Now));

    [Fact]
    public void GoodPemPairValidatesWithoutWarnings()
    {
        using var dir = new TempDirectory();
        using var certificate = TestCertificates.Create("good", Now.AddDays(-1), Now.AddDays(30));
        var (cert, key) = TestCertificates.WritePem(certificate, dir.Path);
        Assert.Empty(Loader().Validate(new SslBinding(Key, SslCertificateReference.FromFile(cert, key))));
        using var loaded = Loader().Load(SslCertificateReference.FromFile(cert, key));
        Assert.True(loaded.HasPrivateKey);
        Assert.Equal(certificate.Thumbprint, loaded.Thumbprint);
    }

    [Fact]
    public void CombinedPemFileAndPasswordlessPfxValidate()
    {
        using var dir = new TempDirectory();
        using var certificate = TestCertificates.Create("combined", Now.AddDays(-1), Now.AddDays(30));
        var (cert, key) = TestCertificates.WritePem(certificate, dir.Path);
        var combined = dir.File("both.pem");
        File.WriteAllText(combined, File.ReadAllText(cert) + "\n" + File.ReadAllText(key));
        Assert.Empty(Loader().Validate(new SslBinding(Key, SslCertificateReference.FromFile(combined))));

        var pfx = TestCertificates.WritePfx(certificate, dir.Path);
        Assert.Equal(SslCertificateSource.PfxFile, SslCertificateReference.FromFile(pfx).Source);
        Assert.Empty(Loader().Validate(new SslBinding(Key, SslCertificateReference.FromFile(pfx))));
    }

    [Fact]
    public void PemWithoutKeyIsAClearError()
    {
        using var dir = new TempDirectory();
        using var certificate = TestCertificates.Create("nokey", Now.AddDays(-1), Now.AddDays(30));
        var (cert, _) = TestCertificates.WritePem(certificate, dir.Path);
        var e = Assert.Throws<HttpSysException>(() => Loader().Validate(new SslBinding(Key, SslCertificateReference.FromFile(cert))));
        Assert.Equal(HttpSysErrorReason.InvalidCertificate, e.Reason);
        Assert.Contains("has no private key", e.Message, StringComparison.Ordinal);
        Assert.Contains(cert, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PfxWithoutKeyIsAClearError()
    {
        using var dir = new TempDirectory();
        using var certificate = TestCertificates.Create("nokeypfx", Now.AddDays(-1), Now.AddDays(30));
        var pfx = TestCertificates.WritePfx(certificate, dir.Path, withKey: false);
        var e = Assert.Throws<HttpSysException>(() => Loader().Validate(new SslBinding(Key, SslCertificateReference.FromFile(pfx))));
        Assert.Contains("has no private key", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ExpiredCertificateIsAWarningNotAnError()
    {
        using var dir = new TempDirectory();
        using var certificate = TestCertificates.Create("expired", Now.AddDays(-60), Now.AddDays(-1));
        var (cert, key) = TestCertificates.WritePem(certificate, dir.Path);
        var warning = Assert.Single(Loader().Validate(new SslBinding(Key, SslCertificateReference.FromFile(cert, key))));
        Assert.Contains("expired on", warning, StringComparison.Ordinal);
        Assert.Contains("CN=expired", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void NotYetValidCertificateIsAWarning()
    {
        using var dir = new TempDirectory();
        using var certificate = TestCertificates.Create("future", Now.AddDays(1), Now.AddDays(60));
        var (cert, key) = TestCertificates.WritePem(certificate, dir.Path);
        Assert.Contains("not valid until", Assert.Single(Loader().Validate(new SslBinding(Key, SslCertificateReference.FromFile(cert, key)))), StringComparison.Ordinal);
    }

    [Fact]
    public void UnreadableKeyFileIsAClearErrorNamingIt()
    {
        using var dir = new TempDirectory();
        using var certificate = TestCertificates.Create("unreadable", Now.AddDays(-1), Now.AddDays(30));
        var (cert, _) = TestCertificates.WritePem(certificate, dir.Path);
        // A directory cannot be read as a file, for root too (chmod 000 would not stop root).
        var keyDir = Directory.CreateDirectory(dir.File("key-is-a-directory")).FullName;
        var e = Assert.Throws<HttpSysException>(() => Loader().Validate(new SslBinding(Key, SslCertificateReference.FromFile(cert, keyDir))));
        Assert.Equal(HttpSysErrorReason.InvalidCertificate, e.Reason);
        Assert.Contains($"The key file '{keyDir}' cannot be read", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingOrGarbageKeyFileIsAClearError()
    {
        using var dir = new TempDirectory();
        using var certificate = TestCertificates.Create("garbage", Now.AddDays(-1), Now.AddDays(30));
        var (cert, key) = TestCertificates.WritePem(certificate, dir.Path);
        var missing = Assert.Throws<HttpSysException>(() => Loader().Validate(new SslBinding(Key, SslCertificateReference.FromFile(cert, dir.File("nope.pem")))));
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);

        File.WriteAllText(key, "not a key");
        var garbage = Assert.Throws<HttpSysException>(() => Loader().Validate(new SslBinding(Key, SslCertificateReference.FromFile(cert, key))));
        Assert.Equal(HttpSysErrorReason.InvalidCertificate, garbage.Reason);
        Assert.Contains(key, garbage.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyOfAnotherCertificateIsRejected()
    {
        using var dir = new TempDirectory();
        using var one = TestCertificates.Create("one", Now.AddDays(-1), Now.AddDays(30));
        using var two = TestCertificates.Create("two", Now.AddDays(-1), Now.AddDays(30));
        var (cert, _) = TestCertificates.WritePem(one, dir.Path, "one");
        var (_, otherKey) = TestCertificates.WritePem(two, dir.Path, "two");
        Assert.Equal(HttpSysErrorReason.InvalidCertificate, Assert.Throws<HttpSysException>(() => Loader().Load(SslCertificateReference.FromFile(cert, otherKey))).Reason);
    }

    [Fact]
    public void UnknownThumbprintIsAClearError()
    {
        var e = Assert.Throws<HttpSysException>(() => Loader().Load(SslCertificateReference.FromStore(new string('A', 40), "HttpSysPSTestEmpty")));
        Assert.Equal(HttpSysErrorReason.InvalidCertificate, e.Reason);
        Assert.Contains(new string('A', 40), e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DisablingBothTlsVersionsWarns()
    {
        using var dir = new TempDirectory();
        using var certificate = TestCertificates.Create("flags", Now.AddDays(-1), Now.AddDays(30));
        var (cert, key) = TestCertificates.WritePem(certificate, dir.Path);
        var binding = new SslBinding(Key, SslCertificateReference.FromFile(cert, key), DisableTls12: true, DisableTls13: true);
        Assert.Contains("disables both TLS 1.2 and TLS 1.3", Assert.Single(Loader().Validate(binding)), StringComparison.Ordinal);
    }
}
