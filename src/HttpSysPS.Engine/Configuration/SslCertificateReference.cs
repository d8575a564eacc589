using System.Globalization;

namespace HttpSysPS.Engine.Configuration;

/// <summary>
/// How an <see cref="SslBinding"/> names its certificate: by thumbprint in a store, or by file path.
/// </summary>
/// <remarks>
/// No password is ever stored: the store holds paths, and the files are protected by their permissions
/// (e.g. key readable only by root and the service account, like <c>/etc/ssl/private</c>). PFX files must
/// therefore be passwordless; convert a protected one once with
/// <c>openssl pkcs12 -in a.pfx -nodes -out a.pem</c> (or re-export without a password) and restrict the file.
/// A store certificate is looked up in <c>LocalMachine</c> on Windows and <c>CurrentUser</c> elsewhere (.NET on
/// Linux and macOS has no LocalMachine\My store), so on Linux/macOS the store must belong to the user the server
/// runs as; file paths avoid that trap.
/// </remarks>
public sealed record SslCertificateReference
{
    private SslCertificateReference(SslCertificateSource source, string? thumbprint, string? storeName, string? certificateFile, string? keyFile)
    {
        Source = source;
        Thumbprint = thumbprint;
        StoreName = storeName;
        CertificateFile = certificateFile;
        KeyFile = keyFile;
    }

    /// <summary>Store, PEM file or PFX file.</summary>
    public SslCertificateSource Source { get; }

    /// <summary>SHA-1 thumbprint, 40 upper-case hex digits (netsh <c>certhash</c>); null for files.</summary>
    public string? Thumbprint { get; }

    /// <summary>The store name (netsh <c>certstorename</c>; default <c>My</c>); null for files.</summary>
    public string? StoreName { get; }

    /// <summary>Full path of the PEM or PFX certificate file; null for a store certificate.</summary>
    public string? CertificateFile { get; }

    /// <summary>Full path of the PEM private key file; null when the key is inside <see cref="CertificateFile"/> or for a store.</summary>
    public string? KeyFile { get; }

    /// <summary>A store certificate by thumbprint (spaces and colons are ignored, as when copied from a certificate viewer).</summary>
    public static SslCertificateReference FromStore(string thumbprint, string? storeName = null)
    {
        ArgumentNullException.ThrowIfNull(thumbprint);
        var hash = new string(thumbprint.Where(c => !char.IsWhiteSpace(c) && c != ':').ToArray()).ToUpperInvariant();
        if (hash.Length != 40 || !hash.All(char.IsAsciiHexDigit))
        {
            throw new HttpSysException(HttpSysErrorReason.InvalidArgument, $"Invalid certificate hash '{thumbprint}': expected a SHA-1 thumbprint of 40 hex digits.");
        }

        // netsh default certstorename: MY (spec §3.1).
        var store = string.IsNullOrWhiteSpace(storeName) ? "My" : storeName.Trim();
        return new SslCertificateReference(SslCertificateSource.Store, hash, store, null, null);
    }

    /// <summary>
    /// A certificate file: with <paramref name="keyFile"/> a PEM pair; without it a passwordless PKCS#12 file when the
    /// name ends in <c>.pfx</c> or <c>.p12</c>, otherwise a PEM file that holds the certificate and its key.
    /// Paths are made absolute so the store does not depend on the writer's working directory.
    /// </summary>
    public static SslCertificateReference FromFile(string certificateFile, string? keyFile = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(certificateFile);
        var cert = Path.GetFullPath(certificateFile);
        var key = string.IsNullOrWhiteSpace(keyFile) ? null : Path.GetFullPath(keyFile);
        var pfx = key is null && (cert.EndsWith(".pfx", true, CultureInfo.InvariantCulture) || cert.EndsWith(".p12", true, CultureInfo.InvariantCulture));
        return new SslCertificateReference(pfx ? SslCertificateSource.PfxFile : SslCertificateSource.PemFile, null, null, cert, key);
    }

    /// <summary>The thumbprint, or the file path(s), for messages.</summary>
    public override string ToString() => Source switch
    {
        SslCertificateSource.Store => $"{StoreName}\\{Thumbprint}",
        _ when KeyFile is not null => $"{CertificateFile} (key {KeyFile})",
        _ => CertificateFile!,
    };
}
