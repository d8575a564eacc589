namespace HttpSysPS.Engine.Configuration;

/// <summary>Where the certificate of an <see cref="SslBinding"/> comes from.</summary>
public enum SslCertificateSource
{
    /// <summary>A certificate store, by SHA-1 thumbprint (netsh <c>certhash</c> + <c>certstorename</c>).</summary>
    Store = 0,

    /// <summary>A PEM certificate file plus a PEM key file (or one PEM file holding both).</summary>
    PemFile = 1,

    /// <summary>A PKCS#12 (.pfx/.p12) file without a password, protected by its file permissions.</summary>
    PfxFile = 2,
}
