namespace HttpSysPS.Engine.Tls;

/// <summary>A development certificate written as a PEM pair by <see cref="DevelopmentCertificate.New"/>.</summary>
/// <param name="CertificateFile">Full path of <c>cert.pem</c> (the certificate only).</param>
/// <param name="KeyFile">Full path of <c>key.pem</c> (PKCS#8 private key, readable by its owner only on Unix).</param>
/// <param name="Thumbprint">SHA-1 thumbprint, 40 upper-case hex digits (what netsh calls certhash).</param>
/// <param name="NotAfter">End of validity, local time (as <see cref="System.Security.Cryptography.X509Certificates.X509Certificate2.NotAfter"/>).</param>
public sealed record DevelopmentCertificateFiles(string CertificateFile, string KeyFile, string Thumbprint, DateTime NotAfter);
