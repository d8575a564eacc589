using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HttpSysPS.Engine.Configuration;

/// <summary>
/// Loads the certificate (with its private key) an <see cref="SslBinding"/> names, and validates a binding before it
/// is written. Failures are <see cref="HttpSysException"/> with <see cref="HttpSysErrorReason.InvalidCertificate"/>
/// naming the file or thumbprint; conditions a server can still run with (expired, not yet valid) are warnings.
/// </summary>
public sealed class SslCertificateLoader
{
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a loader; <paramref name="timeProvider"/> decides "expired" (default: the system clock).</summary>
    public SslCertificateLoader(TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>
    /// Checks that the certificate exists, is readable, parses and has a private key; returns warnings for an expired or
    /// not-yet-valid certificate and for a binding that disables every TLS version. Throws InvalidCertificate otherwise.
    /// </summary>
    public IReadOnlyList<string> Validate(SslBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var warnings = new List<string>();
        using (var certificate = Load(binding.Certificate))
        {
            var now = _timeProvider.GetUtcNow().UtcDateTime;
            var name = Describe(certificate);
            if (certificate.NotAfter.ToUniversalTime() < now)
            {
                warnings.Add($"The certificate {name} for '{binding.Key}' expired on {certificate.NotAfter.ToUniversalTime().ToString("u", CultureInfo.InvariantCulture)}; clients will reject it.");
            }
            else if (certificate.NotBefore.ToUniversalTime() > now)
            {
                warnings.Add($"The certificate {name} for '{binding.Key}' is not valid until {certificate.NotBefore.ToUniversalTime().ToString("u", CultureInfo.InvariantCulture)}; clients will reject it until then.");
            }
        }

        if (binding.DisablesAllProtocols)
        {
            warnings.Add($"The binding '{binding.Key}' disables both TLS 1.2 and TLS 1.3; no handshake can succeed on it.");
        }

        return warnings;
    }

    /// <summary>Loads the certificate with its private key. The caller owns (disposes) the result.</summary>
    public X509Certificate2 Load(SslCertificateReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var certificate = reference.Source switch
        {
            SslCertificateSource.Store => LoadFromStore(reference.Thumbprint!, reference.StoreName!),
            SslCertificateSource.PfxFile => LoadPfx(reference.CertificateFile!),
            _ => LoadPem(reference.CertificateFile!, reference.KeyFile),
        };

        if (!certificate.HasPrivateKey)
        {
            var name = Describe(certificate);
            certificate.Dispose();
            throw Invalid(reference.Source == SslCertificateSource.PemFile
                ? $"The certificate {name} in '{reference.CertificateFile}' has no private key: give the key file (-KeyFile / keyfile=) or put the key in the same PEM file."
                : $"The certificate {name} ({reference}) has no private key; a TLS server needs one.");
        }

        return certificate;
    }

    private static X509Certificate2 LoadPem(string certificateFile, string? keyFile)
    {
        var certificateText = ReadText(certificateFile, "certificate");
        var keyText = keyFile is null ? null : ReadText(keyFile, "key");
        try
        {
            var certificate = keyText is not null
                ? X509Certificate2.CreateFromPem(certificateText, keyText)
                : certificateText.Contains("PRIVATE KEY-----", StringComparison.Ordinal)
                    ? X509Certificate2.CreateFromPem(certificateText, certificateText)
                    : X509Certificate2.CreateFromPem(certificateText);
            return ForTls(certificate);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // ArgumentException: the key does not belong to the certificate.
            throw Invalid($"Cannot load the PEM certificate '{certificateFile}'{(keyFile is null ? string.Empty : $" with key '{keyFile}'")}: {e.Message}", e);
        }
    }

    private static X509Certificate2 LoadPfx(string file)
    {
        var bytes = ReadBytes(file, "PFX");
        try
        {
            // Passwordless by design: the store never holds a password (see SslCertificateReference).
            return new X509Certificate2(bytes, (string?)null, X509KeyStorageFlags.DefaultKeySet);
        }
        catch (CryptographicException e)
        {
            throw Invalid($"Cannot load the PFX file '{file}': {e.Message} (HttpSysPS needs a PFX without a password; protect the file with permissions instead).", e);
        }
    }

    private static X509Certificate2 LoadFromStore(string thumbprint, string storeName)
    {
        // .NET on Linux/macOS has no LocalMachine\My; the process user's store is the one it can read.
        var location = OperatingSystem.IsWindows() ? StoreLocation.LocalMachine : StoreLocation.CurrentUser;
        try
        {
            using var store = new X509Store(storeName, location);
            store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
            var found = store.Certificates.Find(X509FindType.FindByThumbprint, thumbprint, validOnly: false);
            if (found.Count > 0)
            {
                return found[0];
            }
        }
        catch (CryptographicException)
        {
            // A store that does not exist yet simply holds no certificate.
        }

        throw Invalid($"No certificate with hash {thumbprint} in the {location}\\{storeName} store of user '{Environment.UserName}'.");
    }

    // SChannel (Windows) cannot use the ephemeral key CreateFromPem makes; a PKCS#12 round trip gives it a real key container.
    private static X509Certificate2 ForTls(X509Certificate2 certificate)
    {
        if (!OperatingSystem.IsWindows() || !certificate.HasPrivateKey)
        {
            return certificate;
        }

        using (certificate)
        {
            return new X509Certificate2(certificate.Export(X509ContentType.Pkcs12));
        }
    }

    private static string ReadText(string path, string what)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, what, e);
        }
    }

    private static byte[] ReadBytes(string path, string what)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Unreadable(path, what, e);
        }
    }

    private static HttpSysException Unreadable(string path, string what, Exception e) => e is FileNotFoundException or DirectoryNotFoundException
        ? Invalid($"The {what} file '{path}' does not exist.", e)
        : Invalid($"The {what} file '{path}' cannot be read: {e.Message}", e);

    private static string Describe(X509Certificate2 certificate) => $"'{certificate.Subject}' ({certificate.Thumbprint})";

    private static HttpSysException Invalid(string message, Exception? inner = null) => new(HttpSysErrorReason.InvalidCertificate, message, inner);
}
