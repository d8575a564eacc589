using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace HttpSysPS.Engine.Tests.Tls;

/// <summary>
/// A certificate authority made for one test: a self-signed root that issues leaf certificates (server or client),
/// and a validation callback that trusts exactly this root — what a client pinned to a private CA does.
/// </summary>
internal sealed class TestCertificateAuthority : IDisposable
{
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuthentication = new("1.3.6.1.5.5.7.3.2");
    private readonly List<X509Certificate2> _issued = [];

    /// <summary>A root CA, or with <paramref name="issuer"/> an intermediate CA that <paramref name="issuer"/> signs.</summary>
    public TestCertificateAuthority(string name = "HttpSysPS Test CA", TestCertificateAuthority? issuer = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        if (issuer is null)
        {
            Root = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        }
        else
        {
            using var signed = request.Create(issuer.Root, now.AddDays(-1), now.AddDays(20), RandomNumberGenerator.GetBytes(8));
            Root = signed.CopyWithPrivateKey(key);
        }
    }

    /// <summary>This CA's own certificate (with its private key): the root, or the intermediate.</summary>
    public X509Certificate2 Root { get; }

    /// <summary>A server certificate for <paramref name="names"/> (DNS names or IP literals), with its private key.</summary>
    public X509Certificate2 IssueServer(params string[] names) => Issue(names[0], names, ServerAuthentication);

    /// <summary>A client certificate with the given common name, with its private key.</summary>
    public X509Certificate2 IssueClient(string commonName) => Issue(commonName, [], ClientAuthentication);

    /// <summary>Validation that trusts this root only (chain built against it) and checks the host name as usual.</summary>
    public bool Validate(object? sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.Add(Root);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return custom.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    public void Dispose()
    {
        foreach (var certificate in _issued)
        {
            certificate.Dispose();
        }

        Root.Dispose();
    }

    private X509Certificate2 Issue(string commonName, string[] names, Oid usage)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        if (names.Length > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var name in names)
            {
                if (IPAddress.TryParse(name, out var ip))
                {
                    san.AddIpAddress(ip);
                }
                else
                {
                    san.AddDnsName(name);
                }
            }

            request.CertificateExtensions.Add(san.Build());
        }

        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        var now = DateTimeOffset.UtcNow;
        var serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        using var withoutKey = request.Create(Root, now.AddHours(-1), now.AddDays(7), serial);
        var certificate = withoutKey.CopyWithPrivateKey(key);
        _issued.Add(certificate);
        return certificate;
    }
}
