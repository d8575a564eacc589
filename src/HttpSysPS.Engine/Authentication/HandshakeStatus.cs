namespace HttpSysPS.Engine.Authentication;

/// <summary>Where one leg left a security context.</summary>
public enum HandshakeStatus
{
    /// <summary>The client must send another token (the server's answer goes out on a 401).</summary>
    ContinueNeeded,

    /// <summary>The client is authenticated; a final server token (Kerberos mutual authentication) may go out on the response.</summary>
    Completed,

    /// <summary>The credentials were refused (bad token, wrong password, ticket for another service, replay, expired).</summary>
    Failed,

    /// <summary>The server could not check them (no keytab, GSSAPI missing): HTTP.sys answers 503 for an internal failure.</summary>
    InternalError,
}
