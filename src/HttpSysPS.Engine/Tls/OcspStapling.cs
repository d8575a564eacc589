using System.Formats.Asn1;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Engine.Tls;

/// <summary>
/// OCSP stapling (HTTP.sys staples unless <c>disableocspstapling</c>; docs/https.md "OCSP stapling"). On Linux .NET's
/// <see cref="SslStreamCertificateContext"/> does the stapling once it is built online and knows the issuer: for a leaf
/// whose AIA extension names an http OCSP responder it fetches the response in the background, caches it, refreshes
/// it in the background before it expires, and staples it to every handshake; while no response is at hand (first
/// fetch pending, responder unreachable) handshakes go on without a staple. .NET reports its fetch failures only to
/// its internal trace, so <see cref="ProbeAsync"/> asks the responder once itself when a binding is loaded and logs
/// what goes wrong.
/// </summary>
internal static class OcspStapling
{
    /// <summary>How long the load-time probe waits for the responder.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The certificate context of a binding: built online (<c>offline: false</c>, so the issuer may also come from the
    /// system store or AIA, and .NET fetches OCSP), or with <c>disableocspstapling</c> offline, where .NET neither
    /// downloads anything nor fetches OCSP.
    /// </summary>
    public static SslStreamCertificateContext CreateCertificateContext(SslBinding binding, X509Certificate2 leaf, X509Certificate2Collection? intermediates) =>
        SslStreamCertificateContext.Create(leaf, intermediates, offline: binding.DisableOcspStapling);

    /// <summary>The leaf's http OCSP responder (AIA), or null: nothing to staple.</summary>
    public static Uri? ResponderOf(X509Certificate2 leaf)
    {
        foreach (var extension in leaf.Extensions)
        {
            if (extension is X509AuthorityInformationAccessExtension aia)
            {
                foreach (var uri in aia.EnumerateOcspUris())
                {
                    if (Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Scheme == Uri.UriSchemeHttp)
                    {
                        return parsed;
                    }
                }
            }
        }

        return null;
    }

    /// <summary>
    /// For a binding that staples and a leaf that names a responder: asks the responder for the leaf's status as .NET
    /// will, and reports through <paramref name="warn"/> when the issuer is unknown, the responder cannot be reached, or
    /// it does not answer "successful" — the cases in which handshakes go on without a staple. Never throws.
    /// </summary>
    public static async Task ProbeAsync(TlsBindingContext context, Action<string> warn)
    {
        if (context.Binding.DisableOcspStapling || ResponderOf(context.Certificate) is not { } responder)
        {
            return;
        }

        var what = $"SSL binding {context.Binding.Key}: OCSP stapling for '{context.Certificate.Subject}' via {responder}";
        try
        {
            if (context.Issuer is not { } issuer)
            {
                warn($"{what}: the issuer is neither in the certificate file nor in the system store, so no response can be fetched; handshakes go on without a staple.");
                return;
            }

            using var http = new HttpClient { Timeout = ProbeTimeout };
            using var content = new ByteArrayContent(BuildRequest(context.Certificate, issuer));
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/ocsp-request");
            using var response = await http.PostAsync(responder, content).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            var status = response.IsSuccessStatusCode ? ResponseStatus(body) : $"HTTP {(int)response.StatusCode}";
            if (status != "successful")
            {
                warn($"{what}: the responder answered {status}; handshakes go on without a staple.");
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or CryptographicException or AsnContentException or IOException)
        {
            warn($"{what}: the responder cannot be reached ({e.Message}); handshakes go on without a staple until it answers.");
        }
    }

    /// <summary>An OCSPRequest (RFC 6960 §4.1.1) for one certificate: CertID with SHA-1 hashes, as OpenSSL and .NET send.</summary>
    internal static byte[] BuildRequest(X509Certificate2 leaf, X509Certificate2 issuer)
    {
        var issuerKey = new AsnReader(issuer.PublicKey.ExportSubjectPublicKeyInfo(), AsnEncodingRules.DER).ReadSequence();
        issuerKey.ReadEncodedValue(); // algorithm
        var key = issuerKey.ReadBitString(out _);

        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence()) // OCSPRequest
        using (writer.PushSequence()) // TBSRequest
        using (writer.PushSequence()) // requestList
        using (writer.PushSequence()) // Request
        using (writer.PushSequence()) // CertID
        {
            using (writer.PushSequence())
            {
                writer.WriteObjectIdentifier("1.3.14.3.2.26"); // SHA-1
                writer.WriteNull();
            }

            writer.WriteOctetString(SHA1.HashData(issuer.SubjectName.RawData));
            writer.WriteOctetString(SHA1.HashData(key));
            writer.WriteInteger(Convert.FromHexString(leaf.SerialNumber)); // big-endian, as encoded in the certificate
        }

        return writer.Encode();
    }

    /// <summary>The responseStatus of an OCSPResponse (RFC 6960 §4.2.1) by its RFC name.</summary>
    internal static string ResponseStatus(byte[] response)
    {
        var status = new AsnReader(response, AsnEncodingRules.DER).ReadSequence().ReadEnumeratedValue<OcspResponseStatus>();
        return status switch
        {
            OcspResponseStatus.Successful => "successful",
            OcspResponseStatus.MalformedRequest => "malformedRequest",
            OcspResponseStatus.InternalError => "internalError",
            OcspResponseStatus.TryLater => "tryLater",
            OcspResponseStatus.SigRequired => "sigRequired",
            OcspResponseStatus.Unauthorized => "unauthorized",
            _ => $"status {(int)status}",
        };
    }

    /// <summary>The leaf's issuer from the binding's file or the system store (what .NET's OCSP client needs too), or null.</summary>
    public static X509Certificate2? FindIssuer(X509Certificate2 leaf, X509Certificate2Collection? others)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (others is not null)
        {
            chain.ChainPolicy.ExtraStore.AddRange(others);
        }

        chain.Build(leaf);
        return chain.ChainElements.Count > 1 ? chain.ChainElements[1].Certificate : null;
    }

    private enum OcspResponseStatus
    {
        Successful = 0,
        MalformedRequest = 1,
        InternalError = 2,
        TryLater = 3,
        SigRequired = 5,
        Unauthorized = 6,
    }
}
