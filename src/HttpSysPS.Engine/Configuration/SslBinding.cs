namespace HttpSysPS.Engine.Configuration;

/// <summary>
/// An SSL certificate binding (netsh "sslcert", spec §3): which certificate a TLS handshake on a key uses,
/// and the per-binding switches HttpSysPS honours.
/// </summary>
/// <param name="Key">ipport or hostnameport.</param>
/// <param name="Certificate">Thumbprint in a store, or PEM/PFX file paths.</param>
/// <param name="AppId">netsh <c>appid</c>: an informational owner id (HTTP.sys does not use it either).</param>
/// <param name="NegotiateClientCertificate">netsh <c>clientcertnegotiation=enable</c>: ask for a client certificate in the initial handshake. Default: disabled.</param>
/// <param name="DisableTls12">netsh <c>disabletls12</c>: refuse TLS 1.2 on this binding. Default: not set.</param>
/// <param name="DisableTls13">netsh <c>disabletls13</c>: refuse TLS 1.3 on this binding. Default: not set.</param>
/// <param name="DisableHttp2">netsh <c>disablehttp2</c>: do not offer h2 in ALPN on this binding. Default: not set.</param>
public sealed record SslBinding(
    SslBindingKey Key,
    SslCertificateReference Certificate,
    Guid AppId = default,
    bool NegotiateClientCertificate = false,
    bool DisableTls12 = false,
    bool DisableTls13 = false,
    bool DisableHttp2 = false)
{
    /// <summary>ipport or hostnameport.</summary>
    public SslBindingKey Key { get; } = Key ?? throw new ArgumentNullException(nameof(Key));

    /// <summary>Thumbprint in a store, or PEM/PFX file paths.</summary>
    public SslCertificateReference Certificate { get; } = Certificate ?? throw new ArgumentNullException(nameof(Certificate));

    /// <summary>True when the TLS 1.2/1.3 switches leave no protocol at all (a binding that can never handshake).</summary>
    public bool DisablesAllProtocols => DisableTls12 && DisableTls13;
}
