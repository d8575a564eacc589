using System.Security.Claims;

namespace HttpSysPS.Engine.Authentication;

/// <summary>
/// What the authentication step decided for one request: run the handler as <see cref="User"/> (Status 0), or answer
/// now with <see cref="Status"/> (401 with <see cref="Challenges"/>, 400, 503) and, for errors, an httperr reason.
/// </summary>
internal readonly record struct AuthenticationOutcome(int Status, ClaimsPrincipal? User, ResponseChallenges? Challenges, string? Reason, bool Close)
{
    /// <summary>HTTP.sys-style httperr reasons of the authentication step (none carries a user name or a token).</summary>
    public const string LogonFailed = "Auth_LogonFailed";
    public const string Malformed = "Auth_Malformed";
    public const string HandshakeLimit = "Auth_HandshakeLimit";
    public const string BasicOverHttp = "Auth_BasicOverHttp";
    public const string Internal = "Auth_Internal";

    public bool RunsHandler => Status == 0;

    public static AuthenticationOutcome Handler(ClaimsPrincipal? user, ResponseChallenges? challenges) => new(0, user, challenges, null, false);

    public static AuthenticationOutcome Unauthorized(string[] challenges, string? reason) => new(401, null, new ResponseChallenges(challenges, null), reason, false);

    public static AuthenticationOutcome Continue(string challenge) => new(401, null, new ResponseChallenges([challenge], null), null, false);

    public static AuthenticationOutcome BadRequest(string reason) => new(400, null, null, reason, true);

    public static AuthenticationOutcome Unavailable() => new(503, null, null, Internal, true);
}
