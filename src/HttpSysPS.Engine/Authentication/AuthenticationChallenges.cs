namespace HttpSysPS.Engine.Authentication;

/// <summary>The <c>WWW-Authenticate</c> values of a 401: one per scheme, in the order ASP.NET's HttpSys server sends them.</summary>
internal static class AuthenticationChallenges
{
    /// <summary>
    /// Kerberos, Negotiate, NTLM, Basic (ASP.NET AuthenticationManager with HTTP.sys PRESERVE_ORDER; HTTP.sys itself
    /// sorts Negotiate &gt; NTLM &gt; Basic, the same relative order). Basic carries the realm (RFC 7617 requires one;
    /// HTTP.sys appends the configured realm) and <c>charset="UTF-8"</c> (we decode UTF-8).
    /// </summary>
    public static string[] For(AuthenticationSchemes schemes, string realm)
    {
        var values = new List<string>(4);
        if ((schemes & AuthenticationSchemes.Kerberos) != 0)
        {
            values.Add("Kerberos");
        }

        if ((schemes & AuthenticationSchemes.Negotiate) != 0)
        {
            values.Add("Negotiate");
        }

        if ((schemes & AuthenticationSchemes.NTLM) != 0)
        {
            values.Add("NTLM");
        }

        if ((schemes & AuthenticationSchemes.Basic) != 0)
        {
            values.Add($"Basic realm=\"{realm}\", charset=\"UTF-8\"");
        }

        return values.ToArray();
    }

    /// <summary>The schemes in force on a connection: Basic drops out on plain HTTP unless allowed.</summary>
    public static AuthenticationSchemes Effective(AuthenticationOptions options, bool secure) =>
        secure || options.AllowBasicOverHttp ? options.Schemes : options.Schemes & ~AuthenticationSchemes.Basic;

    /// <summary>A realm value safe inside quotes: the Host without quotes or backslashes.</summary>
    public static string DefaultRealm(string host) => host.AsSpan().IndexOfAny("\"\\") < 0 ? host : host.Replace("\"", "").Replace("\\", "");
}
