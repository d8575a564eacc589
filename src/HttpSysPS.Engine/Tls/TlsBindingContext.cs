using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Engine.Tls;

/// <summary>
/// Everything a handshake needs for one SSL binding, built once when the binding appears or changes: the certificate
/// with its chain (<see cref="SslStreamCertificateContext"/>, so the full chain is sent, and the OCSP staple), protocols,
/// cipher suites, resumption and ALPN.
/// </summary>
internal sealed class TlsBindingContext
{
    private TlsBindingContext(SslBinding binding, X509Certificate2 certificate, X509Certificate2? issuer, SslServerAuthenticationOptions options, DateTime stamp)
    {
        Binding = binding;
        Certificate = certificate;
        Issuer = issuer;
        Options = options;
        Stamp = stamp;
    }

    public SslBinding Binding { get; }

    public X509Certificate2 Certificate { get; }

    /// <summary>The certificate's issuer, when the file or the system store has it and the leaf names an OCSP responder (for <see cref="OcspStapling.ProbeAsync"/>).</summary>
    public X509Certificate2? Issuer { get; }

    /// <summary>Shared by every handshake of this binding; never mutated after construction.</summary>
    public SslServerAuthenticationOptions Options { get; }

    /// <summary>The certificate files' last write time when loaded; a renewed file at the same path reloads.</summary>
    public DateTime Stamp { get; }

    public static DateTime StampOf(SslBinding binding)
    {
        var reference = binding.Certificate;
        var stamp = DateTime.MinValue;
        foreach (var path in new[] { reference.CertificateFile, reference.KeyFile })
        {
            if (path is not null && File.Exists(path))
            {
                var written = File.GetLastWriteTimeUtc(path);
                stamp = written > stamp ? written : stamp;
            }
        }

        return stamp;
    }

    public static TlsBindingContext Create(SslBinding binding, SslCertificateLoader loader, IReadOnlyList<SslApplicationProtocol> applicationProtocols)
    {
        var certificate = loader.Load(binding.Certificate);
        var protocols = SslProtocols.None;
        if (!binding.DisableTls12)
        {
            protocols |= SslProtocols.Tls12;
        }

        if (!binding.DisableTls13)
        {
            protocols |= SslProtocols.Tls13;
        }

        // Resumption (docs/https.md "Session resumption"): .NET resumes only through its cached OpenSSL context, which it
        // keeps only when AllowTlsResume is set and no CipherSuitesPolicy is given. So a binding that allows resumption
        // gets .NET's default TLS 1.2 list (ECDHE + AEAD first, then ECDHE + CBC-SHA2; server preference), and a binding
        // that refuses it keeps the AEAD-only policy (a fresh context per handshake, no session cache, no tickets).
        var resume = binding.AllowsResumption;
        var others = IntermediatesFromFile(binding.Certificate, certificate);
        var issuer = !binding.DisableOcspStapling && OcspStapling.ResponderOf(certificate) is not null ? OcspStapling.FindIssuer(certificate, others) : null;
        var options = new SslServerAuthenticationOptions
        {
            // TLS 1.2 and 1.3 only by default; the binding's flags remove either (HTTP.sys disabletls12/disabletls13).
            EnabledSslProtocols = protocols,
            ServerCertificateContext = OcspStapling.CreateCertificateContext(binding, certificate, others),
            AllowTlsResume = resume,

            // Without resumption: TLS 1.2 with AEAD suites only (no CBC: LUCKY13); null on Windows, where the OS default applies.
            CipherSuitesPolicy = resume ? null : AeadCipherSuites.Policy,
            ApplicationProtocols = binding.DisableHttp2 ? applicationProtocols.Where(p => p != SslApplicationProtocol.Http2).ToList() : applicationProtocols.ToList(),

            // HTTP.sys clientcertnegotiation: ask in the handshake only when the binding says so; the handler judges the certificate.
            ClientCertificateRequired = binding.NegotiateClientCertificate,
            RemoteCertificateValidationCallback = binding.NegotiateClientCertificate ? static (_, _, _, _) => true : null,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
        };
        return new TlsBindingContext(binding, certificate, issuer, options, StampOf(binding));
    }

    /// <summary>
    /// The other certificates in the binding's PEM or PFX file (the intermediates of a <c>fullchain.pem</c>). The loader
    /// returns only the leaf, and offline chain building finds intermediates only in the system store, so without
    /// these a CA-issued certificate would go out alone and clients that do not fetch intermediates would reject it.
    /// </summary>
    private static X509Certificate2Collection? IntermediatesFromFile(SslCertificateReference reference, X509Certificate2 leaf)
    {
        if (reference.CertificateFile is null)
        {
            return null;
        }

        var all = new X509Certificate2Collection();
        if (reference.Source == SslCertificateSource.PfxFile)
        {
            all.Import(File.ReadAllBytes(reference.CertificateFile), (string?)null, X509KeyStorageFlags.DefaultKeySet);
        }
        else
        {
            all.ImportFromPemFile(reference.CertificateFile);
        }

        var others = new X509Certificate2Collection();
        foreach (var certificate in all)
        {
            if (certificate.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span))
            {
                certificate.Dispose();
            }
            else
            {
                others.Add(certificate);
            }
        }

        return others.Count == 0 ? null : others;
    }
}
