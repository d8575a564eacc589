namespace HttpSysPS.Engine.Authentication;

/// <summary>What an <c>Authorization</c> field says, for the schemes a listener has configured.</summary>
internal enum AuthorizationKind
{
    /// <summary>A scheme the listener does not authenticate: passed to the handler untouched (HTTP.sys).</summary>
    OtherScheme,

    /// <summary>One of the listener's schemes with a well-formed token.</summary>
    Credentials,

    /// <summary>No scheme, no token, or a token that is not Base64: 400 (HTTP.sys).</summary>
    Malformed,
}

/// <summary>Parses <c>Authorization: scheme token68</c> (RFC 9110 §11.6.2, RFC 4559, RFC 7617).</summary>
internal static class AuthorizationHeader
{
    /// <summary>Parses <paramref name="value"/>; for <see cref="AuthorizationKind.Credentials"/>, the scheme and the decoded token.</summary>
    public static AuthorizationKind Parse(string value, AuthenticationSchemes configured, out AuthenticationSchemes scheme, out byte[] token)
    {
        scheme = AuthenticationSchemes.None;
        token = [];
        var text = value.AsSpan().Trim(' ');
        var space = text.IndexOf(' ');
        var name = space < 0 ? text : text[..space];
        if (name.IsEmpty)
        {
            return AuthorizationKind.Malformed;
        }

        scheme = SchemeOf(name);
        if ((scheme & configured) == 0)
        {
            scheme = AuthenticationSchemes.None;
            return AuthorizationKind.OtherScheme;
        }

        var data = space < 0 ? [] : text[(space + 1)..].Trim(' ');
        if (data.IsEmpty || data.IndexOf(' ') >= 0)
        {
            return AuthorizationKind.Malformed;
        }

        var buffer = new byte[data.Length / 4 * 3 + 3];
        if (!Convert.TryFromBase64Chars(data, buffer, out var written) || written == 0)
        {
            return AuthorizationKind.Malformed;
        }

        token = written == buffer.Length ? buffer : buffer.AsSpan(0, written).ToArray();
        Array.Clear(buffer);
        return AuthorizationKind.Credentials;
    }

    /// <summary>The scheme for a header scheme name (case-insensitive, RFC 9110 §11.1).</summary>
    public static AuthenticationSchemes SchemeOf(ReadOnlySpan<char> name) =>
        name.Equals("Negotiate", StringComparison.OrdinalIgnoreCase) ? AuthenticationSchemes.Negotiate
        : name.Equals("NTLM", StringComparison.OrdinalIgnoreCase) ? AuthenticationSchemes.NTLM
        : name.Equals("Kerberos", StringComparison.OrdinalIgnoreCase) ? AuthenticationSchemes.Kerberos
        : name.Equals("Basic", StringComparison.OrdinalIgnoreCase) ? AuthenticationSchemes.Basic
        : AuthenticationSchemes.None;

    /// <summary>The header name of <paramref name="scheme"/> (one flag).</summary>
    public static string NameOf(AuthenticationSchemes scheme) => scheme switch
    {
        AuthenticationSchemes.Negotiate => "Negotiate",
        AuthenticationSchemes.NTLM => "NTLM",
        AuthenticationSchemes.Kerberos => "Kerberos",
        AuthenticationSchemes.Basic => "Basic",
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "One scheme expected."),
    };
}
