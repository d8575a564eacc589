using System.Security.Claims;

namespace HttpSysPS.Engine.Authentication;

/// <summary>
/// One connection's authentication state: the handshake in progress between legs, the handshakes counted against the
/// cap, and the user of a completed handshake whose logon holds for the connection (NTLM credential caching). Owned by
/// its connection alone and disposed when it closes: a security context never reaches another connection.
/// </summary>
internal sealed class ConnectionAuthentication : IDisposable
{
    private object? _group;
    private string[]? _challenges;
    private AuthenticationSchemes _challengeSchemes;
    private string? _challengeRealm;

    /// <summary>The handshake waiting for the client's next leg, or null.</summary>
    public ISecurityContext? Pending { get; private set; }

    /// <summary>The scheme <see cref="Pending"/> runs under.</summary>
    public AuthenticationSchemes PendingScheme { get; private set; }

    /// <summary>Handshakes and Basic checks started on this connection (for its listener) that did not end in a logon.</summary>
    public int Handshakes { get; private set; }

    /// <summary>The user a completed handshake left on the connection, or null.</summary>
    public ClaimsPrincipal? ConnectionUser { get; set; }

    /// <summary>
    /// The request was routed to <paramref name="group"/>: a connection that moves to another listener (another Host on
    /// a shared port) keeps nothing of the previous one's logon.
    /// </summary>
    public void Enter(object group)
    {
        if (ReferenceEquals(_group, group))
        {
            return;
        }

        EndPending();
        ConnectionUser = null;
        Handshakes = 0;
        _challenges = null;
        _group = group;
    }

    /// <summary>A handshake ended in a logon: it does not count against the cap (a client that authenticates every request,
    /// as Kerberos does by default, must not run into it; failed and abandoned ones do).</summary>
    public void RefundHandshake() => Handshakes = Math.Max(0, Handshakes - 1);

    /// <summary>Counts one more handshake; false when the cap is reached.</summary>
    public bool TryCountHandshake(int max)
    {
        if (Handshakes >= max)
        {
            return false;
        }

        Handshakes++;
        return true;
    }

    public void BeginPending(ISecurityContext context, AuthenticationSchemes scheme)
    {
        EndPending();
        Pending = context;
        PendingScheme = scheme;
    }

    /// <summary>Ends the handshake in progress (completed, failed, or abandoned by the client).</summary>
    public void EndPending()
    {
        Pending?.Dispose();
        Pending = null;
        PendingScheme = AuthenticationSchemes.None;
    }

    /// <summary>The challenges for <paramref name="schemes"/> and <paramref name="realm"/>, built once per connection.</summary>
    public string[] Challenges(AuthenticationSchemes schemes, string realm)
    {
        if (_challenges is null || _challengeSchemes != schemes || !string.Equals(_challengeRealm, realm, StringComparison.Ordinal))
        {
            _challenges = AuthenticationChallenges.For(schemes, realm);
            _challengeSchemes = schemes;
            _challengeRealm = realm;
        }

        return _challenges;
    }

    public void Dispose()
    {
        EndPending();
        ConnectionUser = null;
        _group = null;
    }
}
