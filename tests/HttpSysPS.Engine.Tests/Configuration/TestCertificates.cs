using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HttpSysPS.Engine.Tests.Configuration;

/// <summary>Real self-signed certificates written to a test directory as PEM and PFX.</summary>
internal static class TestCertificates
{
    public static X509Certificate2 Create(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={subject}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    public static X509Certificate2 CreateValid(string subject = "localhost") =>
        Create(subject, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

    /// <summary>Writes cert.pem and key.pem; returns their paths.</summary>
    public static (string Cert, string Key) WritePem(X509Certificate2 certificate, string directory, string name = "site")
    {
        var cert = Path.Combine(directory, name + ".crt.pem");
        var key = Path.Combine(directory, name + ".key.pem");
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        File.WriteAllText(key, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return (cert, key);
    }

    public static string WritePfx(X509Certificate2 certificate, string directory, string name = "site", bool withKey = true)
    {
        var path = Path.Combine(directory, name + ".pfx");
        File.WriteAllBytes(path, withKey ? certificate.Export(X509ContentType.Pkcs12) : X509CertificateLoader.LoadCertificate(certificate.RawData).Export(X509ContentType.Pkcs12));
        return path;
    }
}
