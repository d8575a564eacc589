namespace HttpSysPS.Engine.Configuration;

/// <summary>
/// An SSL certificate binding (netsh "sslcert", spec §3): which certificate a TLS handshake on a key uses,
/// and the per-binding switches. Every netsh flag HttpSysPS takes is either honoured or documented as a no-op
/// here and in docs/https.md ("The sslcert flags"); <c>enabletokenbinding</c> is refused.
/// </summary>
/// <param name="Key">ipport or hostnameport.</param>
/// <param name="Certificate">Thumbprint in a store, or PEM/PFX file paths.</param>
/// <param name="AppId">netsh <c>appid</c>: an informational owner id (HTTP.sys does not use it either).</param>
/// <param name="NegotiateClientCertificate">netsh <c>clientcertnegotiation=enable</c>: ask for a client certificate in the initial handshake. Default: disabled.</param>
/// <param name="DisableTls12">netsh <c>disabletls12</c>: refuse TLS 1.2 on this binding. Default: not set.</param>
/// <param name="DisableTls13">netsh <c>disabletls13</c>: refuse TLS 1.3 on this binding. Default: not set.</param>
/// <param name="DisableHttp2">netsh <c>disablehttp2</c>: do not offer h2 in ALPN on this binding (takes effect once HTTP/2 is served). Default: not set.</param>
/// <param name="DisableLegacyTls">netsh <c>disablelegacytls</c>: no TLS below 1.2. HttpSysPS never offers TLS 1.0/1.1, so this is always the case; stored and shown. Default: not set.</param>
/// <param name="DisableQuic">netsh <c>disablequic</c>: no HTTP/3 over QUIC on this binding. HttpSysPS has no QUIC, so a stored no-op. Default: not set.</param>
/// <param name="DisableOcspStapling">netsh <c>disableocspstapling</c>: never staple an OCSP response (and never fetch one). Default: not set (staple when the certificate names an OCSP responder).</param>
/// <param name="EnableSessionTicket">netsh <c>enablesessionticket</c>: TLS 1.2 session tickets. Default: not set. See <see cref="AllowsResumption"/> for what the TLS library lets us separate.</param>
/// <param name="DisableSessionId">netsh <c>disablesessionid</c>: no session-ID resumption. Default: not set. See <see cref="AllowsResumption"/>.</param>
/// <param name="LogExtendedEvents">netsh <c>logextendedevents</c>: a failed handshake on this binding is logged with the TLS library's own error text as well. Default: not set.</param>
/// <param name="EnableTokenBinding">netsh <c>enabletokenbinding</c>: refused (Token Binding, RFC 8471, has no implementation in OpenSSL or .NET, and browsers removed it); must be false.</param>
public sealed record SslBinding(
    SslBindingKey Key,
    SslCertificateReference Certificate,
    Guid AppId = default,
    bool NegotiateClientCertificate = false,
    bool DisableTls12 = false,
    bool DisableTls13 = false,
    bool DisableHttp2 = false,
    bool DisableLegacyTls = false,
    bool DisableQuic = false,
    bool DisableOcspStapling = false,
    bool EnableSessionTicket = false,
    bool DisableSessionId = false,
    bool LogExtendedEvents = false,
    bool EnableTokenBinding = false)
{
    /// <summary>The message a binding with <c>enabletokenbinding</c> is refused with.</summary>
    public const string TokenBindingRefused =
        "enabletokenbinding is not supported: Token Binding (RFC 8471) is implemented by neither OpenSSL nor .NET, and browsers removed it; " +
        "leave it unset (a binding without it behaves as HTTP.sys does by default).";

    /// <summary>ipport or hostnameport.</summary>
    public SslBindingKey Key { get; } = Key ?? throw new ArgumentNullException(nameof(Key));

    /// <summary>Thumbprint in a store, or PEM/PFX file paths.</summary>
    public SslCertificateReference Certificate { get; } = Certificate ?? throw new ArgumentNullException(nameof(Certificate));

    /// <summary>Always false: a binding that asks for Token Binding is refused at construction (<see cref="TokenBindingRefused"/>).</summary>
    public bool EnableTokenBinding { get; } = EnableTokenBinding
        ? throw new HttpSysException(HttpSysErrorReason.InvalidArgument, TokenBindingRefused)
        : false;

    /// <summary>True when the TLS 1.2/1.3 switches leave no protocol at all (a binding that can never handshake).</summary>
    public bool DisablesAllProtocols => DisableTls12 && DisableTls13;

    /// <summary>
    /// Whether handshakes on this binding may resume a session. .NET's SslStream on OpenSSL has one switch for a
    /// server (<c>AllowTlsResume</c>: session-ID cache and tickets, TLS 1.2 and 1.3, together), so the two netsh flags
    /// map to it as the nearest honest behaviour: resumption is on unless the binding turns off both TLS 1.2 mechanisms
    /// (<see cref="DisableSessionId"/> set and <see cref="EnableSessionTicket"/> not set). TLS 1.3 tickets follow the
    /// same switch: a binding that refuses every TLS 1.2 resumption gets no TLS 1.3 resumption either (docs/https.md).
    /// </summary>
    public bool AllowsResumption => !DisableSessionId || EnableSessionTicket;
}
