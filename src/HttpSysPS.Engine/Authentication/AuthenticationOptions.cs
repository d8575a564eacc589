namespace HttpSysPS.Engine.Authentication;

/// <summary>
/// A listener's authentication (HTTP.sys HttpServerAuthenticationProperty on its URL group). Immutable; validated when
/// set. The server runs the challenge and the handshake between routing and the request queue; the handler receives
/// the result in <see cref="Handlers.Request.User"/>.
/// </summary>
public sealed record AuthenticationOptions
{
    /// <summary>Our default cap on handshakes (and Basic checks) per connection: 10. HTTP.sys has no such setting.</summary>
    public const int DefaultMaxHandshakesPerConnection = 10;

    /// <summary>Default PAM service name for Basic: <c>httpsys</c> (so /etc/pam.d/httpsys configures it).</summary>
    public const string DefaultPamServiceName = "httpsys";

    /// <summary>No authentication: every request is anonymous.</summary>
    public static AuthenticationOptions Disabled { get; } = new();

    private readonly AuthenticationSchemes _schemes;
    private readonly string? _realm;
    private readonly int _maxHandshakesPerConnection = DefaultMaxHandshakesPerConnection;
    private readonly string _pamServiceName = DefaultPamServiceName;

    /// <summary>The enabled schemes. Default None (HTTP.sys and ASP.NET default).</summary>
    public AuthenticationSchemes Schemes
    {
        get => _schemes;
        init => _schemes = (value & ~(AuthenticationSchemes.Basic | AuthenticationSchemes.NTLM | AuthenticationSchemes.Negotiate | AuthenticationSchemes.Kerberos)) != 0
            ? throw new ArgumentOutOfRangeException(nameof(Schemes), value, "Schemes must combine Basic, NTLM, Negotiate and Kerberos (Digest is not supported).")
            : value;
    }

    /// <summary>The Basic realm sent in <c>WWW-Authenticate: Basic realm="..."</c>; null = the request's Host. No quotes, CR or LF.</summary>
    public string? Realm
    {
        get => _realm;
        init => _realm = value is not null && value.AsSpan().IndexOfAny("\"\r\n\\") >= 0
            ? throw new ArgumentOutOfRangeException(nameof(Realm), value, "Realm must not contain quotes, backslashes, CR or LF.")
            : value;
    }

    /// <summary>
    /// Whether requests without credentials reach the handler (anonymous; the handler may answer 401 and the server
    /// appends the challenges). Default true (HTTP.sys and ASP.NET). False: the server answers 401 itself.
    /// </summary>
    public bool AllowAnonymous { get; init; } = true;

    /// <summary>
    /// Off (the HTTP.sys default, DisableNTLMCredentialCaching = false): once an NTLM handshake succeeded, later requests
    /// on the same connection are that user without a new handshake. On: every request authenticates again.
    /// </summary>
    public bool DisableNtlmCredentialCaching { get; init; }

    /// <summary>
    /// Whether a Kerberos logon (Negotiate or Kerberos) also holds for later requests on the same connection. Default
    /// false (HTTP.sys HTTP_AUTH_EX_FLAG_ENABLE_KERBEROS_CREDENTIAL_CACHING off): each request brings its own ticket.
    /// </summary>
    public bool EnableKerberosCredentialCaching { get; init; }

    /// <summary>
    /// Accept Basic on plain HTTP (and Unix sockets). Default false: the password would cross the network in clear, so
    /// Basic is neither offered nor checked there (Kestrel's guidance: Basic only over HTTPS).
    /// </summary>
    public bool AllowBasicOverHttp { get; init; }

    /// <summary>
    /// Handshakes (Negotiate/NTLM contexts started, Basic checks) that did not end in a logon - failed or abandoned - one
    /// connection may have; the next handshake over the cap gets 400 and the connection closes. Successful ones are not
    /// counted (Kerberos clients authenticate every request by default). Default 10; range 1–1000. A defence against
    /// password guessing and against spending CPU on endless failing handshakes.
    /// </summary>
    public int MaxHandshakesPerConnection
    {
        get => _maxHandshakesPerConnection;
        init => _maxHandshakesPerConnection = value is < 1 or > 1000
            ? throw new ArgumentOutOfRangeException(nameof(MaxHandshakesPerConnection), value, "MaxHandshakesPerConnection must be between 1 and 1000 handshakes.")
            : value;
    }

    /// <summary>The PAM service Basic passwords are checked with (/etc/pam.d/NAME). Default <c>httpsys</c>.</summary>
    public string PamServiceName
    {
        get => _pamServiceName;
        init => _pamServiceName = string.IsNullOrWhiteSpace(value) || value.IndexOfAny(['/', '\0']) >= 0
            ? throw new ArgumentOutOfRangeException(nameof(PamServiceName), value, "PamServiceName must be a non-empty name without '/'.")
            : value;
    }

    /// <summary>What checks credentials; null = the platform (GSSAPI through NegotiateAuthentication, PAM for Basic).</summary>
    public IAuthenticator? Authenticator { get; init; }

    /// <summary>True when at least one scheme is enabled.</summary>
    public bool IsEnabled => _schemes != AuthenticationSchemes.None;
}
