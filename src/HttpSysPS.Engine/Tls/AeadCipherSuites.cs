using System.Net.Security;

namespace HttpSysPS.Engine.Tls;

/// <summary>
/// The cipher suites every SSL binding offers: for TLS 1.2 only ECDHE key exchange with an AEAD cipher (AES-GCM,
/// ChaCha20-Poly1305), for ECDSA and RSA certificates; for TLS 1.3 OpenSSL's three defaults, unchanged. CBC suites are
/// left out because their MAC-then-encrypt padding check is what LUCKY13 and its successors time (testssl flags them);
/// static-RSA and DHE key exchange are left out for forward secrecy and handshake cost.
/// </summary>
internal static class AeadCipherSuites
{
    /// <summary>
    /// The policy, or null where the platform cannot restrict suites (supported on Linux with OpenSSL 1.1.1 or later and
    /// on macOS; Windows' SChannel and Android throw <see cref="PlatformNotSupportedException"/>), so there the OS default applies
    /// (configure SChannel's suite order by Group Policy instead). Immutable, so one instance serves every binding.
    /// </summary>
    public static CipherSuitesPolicy? Policy { get; } = Create();

    private static CipherSuitesPolicy? Create()
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        try
        {
            return new CipherSuitesPolicy(
            [
                // TLS 1.3 (OpenSSL's default TLS 1.3 list): a policy replaces both lists, so they must be named too.
                TlsCipherSuite.TLS_AES_256_GCM_SHA384,
                TlsCipherSuite.TLS_CHACHA20_POLY1305_SHA256,
                TlsCipherSuite.TLS_AES_128_GCM_SHA256,

                // TLS 1.2: ECDHE + AEAD only.
                TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
                TlsCipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
                TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                TlsCipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                TlsCipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
            ]);
        }
        catch (PlatformNotSupportedException)
        {
            // An OpenSSL too old for the policy API, or a platform TLS stack without it: keep its defaults.
            return null;
        }
    }
}
