namespace HttpSysPS.Engine.Authentication;

/// <summary>
/// The schemes a listener authenticates itself, with HTTP.sys's flag values (HTTP_AUTH_ENABLE_*; ASP.NET
/// AuthenticationSchemes). Digest (2) is deprecated in HTTP.sys and not offered.
/// </summary>
[Flags]
public enum AuthenticationSchemes
{
    /// <summary>No authentication: every request is anonymous (the default).</summary>
    None = 0,

    /// <summary>RFC 7617 Basic: user name and password, checked against PAM (Linux, macOS).</summary>
    Basic = 1,

    /// <summary>NTLM through GSSAPI (gss-ntlmssp on Linux); a connection-based handshake.</summary>
    NTLM = 4,

    /// <summary>SPNEGO (RFC 4559): Kerberos, or NTLM when the client cannot do Kerberos.</summary>
    Negotiate = 8,

    /// <summary>Kerberos only, under the <c>Kerberos</c> header scheme (HTTP.sys HTTP_AUTH_ENABLE_KERBEROS).</summary>
    Kerberos = 16,
}
