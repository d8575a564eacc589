using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HttpSysPS.Engine.Tls;

/// <summary>
/// Self-signed certificates for development: ECDSA P-256, the given DNS names (and IP literals) as subject alternative
/// names, server-authentication EKU, one year of validity. Written as a PEM pair with the key readable by its owner only.
/// </summary>
public static class DevelopmentCertificate
{
    /// <summary>Creates the certificate (with its private key).</summary>
    public static X509Certificate2 Create(IReadOnlyList<string> dnsNames, TimeProvider? timeProvider = null, TimeSpan? validity = null)
    {
        ArgumentNullException.ThrowIfNull(dnsNames);
        if (dnsNames.Count == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(dnsNames), "At least one DNS name is required (e.g. localhost).");
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsNames[0]}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in dnsNames)
        {
            if (System.Net.IPAddress.TryParse(name, out var ip))
            {
                names.AddIpAddress(ip);
            }
            else
            {
                names.AddDnsName(name);
            }
        }

        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = (timeProvider ?? TimeProvider.System).GetUtcNow();
        return request.CreateSelfSigned(now.AddMinutes(-5), now + (validity ?? TimeSpan.FromDays(365)));
    }

    /// <summary>
    /// Creates a development certificate for <paramref name="dnsNames"/> and writes it as <c>cert.pem</c> and
    /// <c>key.pem</c> into <paramref name="directory"/> (created if missing; an existing pair is replaced).
    /// A directory that cannot be written is <see cref="HttpSysErrorReason.AccessDenied"/> or
    /// <see cref="HttpSysErrorReason.InvalidArgument"/>, naming it.
    /// </summary>
    public static DevelopmentCertificateFiles New(IReadOnlyList<string> dnsNames, string directory, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        using var certificate = Create(dnsNames, timeProvider);
        var full = Path.GetFullPath(directory);
        try
        {
            var (certFile, keyFile) = WritePem(certificate, full);
            return new DevelopmentCertificateFiles(certFile, keyFile, certificate.Thumbprint, certificate.NotAfter);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new HttpSysException(HttpSysErrorReason.AccessDenied, $"Cannot write the development certificate to '{full}': permission denied.", e);
        }
        catch (IOException e)
        {
            throw new HttpSysException(HttpSysErrorReason.InvalidArgument, $"Cannot write the development certificate to '{full}': {e.Message}", e);
        }
    }

    /// <summary>Writes <c>cert.pem</c> and <c>key.pem</c> into <paramref name="directory"/>; returns their paths.</summary>
    public static (string CertificateFile, string KeyFile) WritePem(X509Certificate2 certificate, string directory)
    {
        Directory.CreateDirectory(directory);
        var certFile = Path.Combine(directory, "cert.pem");
        var keyFile = Path.Combine(directory, "key.pem");
        File.WriteAllText(certFile, certificate.ExportCertificatePem());
        using var key = certificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("The certificate has no ECDSA private key.");

        // Create the key file with owner-only permissions before writing the secret into it.
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(keyFile, options))
        {
            // UnixCreateMode only applies to a new file: an existing (maybe world-readable) key file is restricted
            // through the open handle before the new secret goes in.
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(stream.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            using var writer = new StreamWriter(stream);
            writer.Write(key.ExportPkcs8PrivateKeyPem());
        }

        return (certFile, keyFile);
    }
}
