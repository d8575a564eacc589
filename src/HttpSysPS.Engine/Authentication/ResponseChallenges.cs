using HttpSysPS.Engine.Handlers;

namespace HttpSysPS.Engine.Authentication;

/// <summary>
/// What the server adds to a handler's response when its head goes out: the challenges on a 401 (HTTP.sys and ASP.NET
/// append one per configured scheme to every application 401), or the final server token of a Kerberos handshake on
/// any other status (mutual authentication: <c>WWW-Authenticate: Negotiate &lt;token&gt;</c> on the 200).
/// </summary>
internal sealed class ResponseChallenges(string[]? on401, string? final)
{
    public string[]? On401 { get; } = on401;

    public string? Final { get; } = final;

    /// <summary>Adds the values for the response's status; called once, just before the head is written.</summary>
    public static void Apply(Response response)
    {
        if (response.Challenges is not { } challenges)
        {
            return;
        }

        response.Challenges = null;
        if (response.StatusCode == 401)
        {
            foreach (var value in challenges.On401 ?? [])
            {
                response.Headers.Add("WWW-Authenticate", value);
            }
        }
        else if (challenges.Final is { } final)
        {
            response.Headers.Add("WWW-Authenticate", final);
        }
    }
}
