using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace HttpSysPS.Engine.Routing;

/// <summary>
/// An HTTP.sys URL prefix (<c>scheme://host:port/path/</c>), parsed and normalised once and immutable.
/// </summary>
/// <remarks>
/// Accepted forms (spec §1.1, §1.7): schemes <c>http</c>/<c>https</c> in any case (normalised to lower case);
/// hosts <c>+</c>, <c>*</c>, DNS names (case-insensitive, stored lower case; Unicode names are kept as their
/// IDNA ASCII form so they compare with the Host header a client sends), dotted IPv4, bracketed IPv6
/// (<c>[::1]</c>, also without a port, unlike ASP.NET); an optional port (default 80/443; <c>0</c> = pick a free
/// port at start, our extension); an optional path that is normalised to start and end with <c>/</c>.
/// Percent-escapes in the path are decoded, because HTTP.sys matches prefixes against the decoded ("cooked")
/// URL. Our extension for Unix domain sockets: <c>http://unix:/run/app.sock</c>, optionally followed by
/// <c>:/path/</c>.
/// Malformed input throws <see cref="FormatException"/> naming what is wrong and at which character.
/// </remarks>
public sealed class UrlPrefix : IEquatable<UrlPrefix>
{
    private const string UnixHostMarker = "unix:";

    private UrlPrefix(string scheme, string host, HostCategory category, IPAddress? address, int port, string path, string? unixSocketPath)
    {
        Scheme = scheme;
        Host = host;
        Category = category;
        Address = address;
        Port = port;
        Path = path;
        UnixSocketPath = unixSocketPath;
        BasePath = path.Length > 1 ? path[..^1] : string.Empty;
        FullPrefix = unixSocketPath is null
            ? $"{scheme}://{host}:{port.ToString(CultureInfo.InvariantCulture)}{path}"
            : $"{scheme}://{UnixHostMarker}{unixSocketPath}:{path}";
    }

    /// <summary><c>http</c> or <c>https</c>, lower case.</summary>
    public string Scheme { get; }

    /// <summary>The host as normalised: <c>+</c>, <c>*</c>, a lower-case name, dotted IPv4 or bracketed IPv6.</summary>
    public string Host { get; }

    /// <summary>The HTTP.sys routing bucket of <see cref="Host"/>.</summary>
    public HostCategory Category { get; }

    /// <summary>The local address for <see cref="HostCategory.IPBound"/> prefixes; otherwise null.</summary>
    public IPAddress? Address { get; }

    /// <summary>The TCP port, 1–65535, or 0 for a port chosen at start. 0 for Unix socket prefixes.</summary>
    public int Port { get; }

    /// <summary>The decoded path, always starting and ending with <c>/</c>; compared case-insensitively.</summary>
    public string Path { get; }

    /// <summary><see cref="Path"/> without its trailing slash: the base path handlers see (<c>/api</c>; empty for <c>/</c>).</summary>
    public string BasePath { get; }

    /// <summary>The socket file for <c>http://unix:/path.sock</c> prefixes; otherwise null.</summary>
    public string? UnixSocketPath { get; }

    /// <summary><c>scheme://host:port/path/</c> with the port always explicit. Equality is case-insensitive on this.</summary>
    public string FullPrefix { get; }

    /// <summary>True for <c>https</c>.</summary>
    public bool IsSecure => Scheme == "https";

    /// <summary>True when the port is 0 and is chosen when the listener starts.</summary>
    public bool IsDynamicPort => Port == 0 && UnixSocketPath is null;

    /// <summary>True for a Unix domain socket prefix.</summary>
    public bool IsUnixSocket => UnixSocketPath is not null;

    /// <summary>The default port of a scheme: 80 for http, 443 for https.</summary>
    public static int DefaultPort(string scheme) => string.Equals(scheme, "https", StringComparison.OrdinalIgnoreCase) ? 443 : 80;

    /// <summary>Parses and normalises a prefix; throws <see cref="FormatException"/> on malformed input.</summary>
    public static UrlPrefix Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return TryParseCore(value, out var prefix, out var error) ? prefix! : throw new FormatException(error);
    }

    /// <summary>Parses a prefix without throwing; <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string? value, out UrlPrefix? prefix, out string? error)
    {
        if (value is null)
        {
            prefix = null;
            error = "Invalid URL prefix: the value is null.";
            return false;
        }

        var ok = TryParseCore(value, out prefix, out error);
        return ok;
    }

    /// <summary>The same prefix bound to a concrete port (used when port 0 was resolved at start).</summary>
    public UrlPrefix WithPort(int port)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        if (IsUnixSocket)
        {
            throw new InvalidOperationException("A Unix socket prefix has no port.");
        }

        return new UrlPrefix(Scheme, Host, Category, Address, port, Path, null);
    }

    /// <summary>True when <paramref name="path"/> (decoded, starting with '/') lies under this prefix by whole segments.</summary>
    /// <remarks><c>/dir/sna/</c> matches <c>/dir/sna/x</c> and <c>/dir/sna</c> but not <c>/dir/snake</c>.</remarks>
    public bool MatchesPath(ReadOnlySpan<char> path)
    {
        var prefixPath = Path.AsSpan();
        if (path.StartsWith(prefixPath, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // "/base" matches the prefix "/base/" (ASP.NET: PathBase "/base", Path "").
        return path.Length == prefixPath.Length - 1 && prefixPath.StartsWith(path, StringComparison.OrdinalIgnoreCase);
    }

    public bool Equals(UrlPrefix? other) => other is not null && string.Equals(FullPrefix, other.FullPrefix, StringComparison.OrdinalIgnoreCase);

    public override bool Equals(object? obj) => obj is UrlPrefix other && Equals(other);

    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(FullPrefix);

    public override string ToString() => FullPrefix;

    private static bool TryParseCore(string value, out UrlPrefix? prefix, out string? error)
    {
        prefix = null;
        string Fail(string what, int position) => $"Invalid URL prefix '{value}': {what} (at character {position + 1}).";

        var separator = value.IndexOf("://", StringComparison.Ordinal);
        if (separator < 0)
        {
            error = $"Invalid URL prefix '{value}': missing scheme separator '://'.";
            return false;
        }

        var scheme = value[..separator].ToLowerInvariant();
        if (scheme != "http" && scheme != "https")
        {
            error = Fail($"unsupported scheme '{value[..separator]}'; only http and https are supported", 0);
            return false;
        }

        var authorityStart = separator + 3;
        if (value.AsSpan(authorityStart).StartsWith(UnixHostMarker, StringComparison.OrdinalIgnoreCase))
        {
            return TryParseUnix(value, scheme, authorityStart + UnixHostMarker.Length, out prefix, out error);
        }

        var pathStart = value.IndexOf('/', authorityStart);
        var authorityEnd = pathStart < 0 ? value.Length : pathStart;
        var authority = value.AsSpan(authorityStart, authorityEnd - authorityStart);
        if (authority.IndexOfAny('?', '#') is var badAt and >= 0)
        {
            error = Fail($"'{authority[badAt]}' is not allowed in a URL prefix", authorityStart + badAt);
            return false;
        }

        if (authority.IndexOf('@') is var at and >= 0)
        {
            error = Fail("user information ('@') is not allowed in a URL prefix", authorityStart + at);
            return false;
        }

        ReadOnlySpan<char> hostText;
        ReadOnlySpan<char> portText = default;
        var portPosition = -1;
        if (authority.StartsWith("["))
        {
            var close = authority.IndexOf(']');
            if (close < 0)
            {
                error = Fail("IPv6 address without closing ']'", authorityStart);
                return false;
            }

            hostText = authority[..(close + 1)];
            var rest = authority[(close + 1)..];
            if (!rest.IsEmpty)
            {
                if (rest[0] != ':')
                {
                    error = Fail("expected ':' and a port after the IPv6 address", authorityStart + close + 1);
                    return false;
                }

                portText = rest[1..];
                portPosition = authorityStart + close + 2;
                if (portText.IsEmpty)
                {
                    error = Fail("empty port after ':'", portPosition);
                    return false;
                }
            }
        }
        else
        {
            var firstColon = authority.IndexOf(':');
            var lastColon = authority.LastIndexOf(':');
            if (firstColon != lastColon)
            {
                error = Fail("an IPv6 address must be enclosed in brackets, e.g. http://[::1]:8080/", authorityStart);
                return false;
            }

            if (lastColon >= 0)
            {
                hostText = authority[..lastColon];
                portText = authority[(lastColon + 1)..];
                portPosition = authorityStart + lastColon + 1;
                if (portText.IsEmpty)
                {
                    error = Fail("empty port after ':'", portPosition);
                    return false;
                }
            }
            else
            {
                hostText = authority;
            }
        }

        if (hostText.IsEmpty)
        {
            error = Fail("empty host; use '+', '*', a host name or an IP address", authorityStart);
            return false;
        }

        if (!TryParseHost(hostText, out var host, out var category, out var address, out var hostError))
        {
            error = Fail(hostError!, authorityStart);
            return false;
        }

        var port = DefaultPort(scheme);
        if (portPosition >= 0 && !TryParsePort(portText, out port, out var portError))
        {
            error = Fail(portError!, portPosition);
            return false;
        }

        var rawPath = pathStart < 0 ? "/" : value[pathStart..];
        if (!TryNormalisePath(rawPath, out var path, out var pathError, out var pathErrorAt))
        {
            error = Fail(pathError!, (pathStart < 0 ? value.Length : pathStart) + pathErrorAt);
            return false;
        }

        prefix = new UrlPrefix(scheme, host, category, address, port, path, null);
        error = null;
        return true;
    }

    private static bool TryParseUnix(string value, string scheme, int socketStart, out UrlPrefix? prefix, out string? error)
    {
        prefix = null;
        // http://unix:/run/app.sock  or  http://unix:/run/app.sock:/api/
        var pathSeparator = value.IndexOf(':', socketStart);
        var socketPath = pathSeparator < 0 ? value[socketStart..] : value[socketStart..pathSeparator];
        if (socketPath.Length == 0 || socketPath[0] != '/')
        {
            error = $"Invalid URL prefix '{value}': a Unix socket prefix needs an absolute socket path, e.g. http://unix:/run/app.sock (at character {socketStart + 1}).";
            return false;
        }

        var rawPath = pathSeparator < 0 ? "/" : value[(pathSeparator + 1)..];
        if (rawPath.Length == 0 || rawPath[0] != '/')
        {
            error = $"Invalid URL prefix '{value}': the path after the socket must start with '/' (at character {pathSeparator + 2}).";
            return false;
        }

        if (!TryNormalisePath(rawPath, out var path, out var pathError, out var at))
        {
            error = $"Invalid URL prefix '{value}': {pathError} (at character {pathSeparator + 2 + at}).";
            return false;
        }

        // A Unix socket has no addresses and no Host semantics: it routes like a strong wildcard on its own endpoint.
        prefix = new UrlPrefix(scheme, "+", HostCategory.StrongWildcard, null, 0, path, socketPath);
        error = null;
        return true;
    }

    private static bool TryParseHost(ReadOnlySpan<char> text, out string host, out HostCategory category, out IPAddress? address, out string? error)
    {
        host = string.Empty;
        address = null;
        error = null;
        category = HostCategory.Explicit;

        if (text.SequenceEqual("+"))
        {
            host = "+";
            category = HostCategory.StrongWildcard;
            return true;
        }

        if (text.SequenceEqual("*"))
        {
            host = "*";
            category = HostCategory.WeakWildcard;
            return true;
        }

        if (text[0] == '[')
        {
            var inner = text[1..^1];
            if (!IPAddress.TryParse(inner, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                error = $"'{text.ToString()}' is not a valid IPv6 address";
                return false;
            }

            address = v6;
            host = "[" + v6 + "]";
            category = HostCategory.IPBound;
            return true;
        }

        if (IsDottedQuad(text))
        {
            if (!IPAddress.TryParse(text, out var v4))
            {
                error = $"'{text.ToString()}' is not a valid IPv4 address";
                return false;
            }

            address = v4;
            host = v4.ToString();
            category = HostCategory.IPBound;
            return true;
        }

        return TryNormaliseHostName(text, out host, out error);
    }

    /// <summary>Lower-cases a DNS name and turns Unicode labels into their IDNA (xn--) form.</summary>
    internal static bool TryNormaliseHostName(ReadOnlySpan<char> text, out string host, out string? error)
    {
        host = string.Empty;
        error = null;
        foreach (var c in text)
        {
            var ok = char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' || (c > 0x7F && !char.IsWhiteSpace(c) && !char.IsControl(c));
            if (!ok)
            {
                error = $"host '{text.ToString()}' contains the character '{EscapeForMessage(c)}', which is not allowed in a host name";
                return false;
            }
        }

        if (text[0] == '.' || text[^1] == '.' && text.Length == 1 || text.Contains("..", StringComparison.Ordinal))
        {
            error = $"host '{text.ToString()}' has an empty label";
            return false;
        }

        var name = text.ToString();
        if (!Ascii.IsValid(name))
        {
            try
            {
                name = new IdnMapping().GetAscii(name);
            }
            catch (ArgumentException)
            {
                error = $"host '{text.ToString()}' is not a valid internationalised domain name";
                return false;
            }
        }

        // A fully qualified name may end with a dot; HTTP.sys compares without it.
        host = name.TrimEnd('.').ToLowerInvariant();
        return true;
    }

    private static bool IsDottedQuad(ReadOnlySpan<char> text)
    {
        var dots = 0;
        foreach (var c in text)
        {
            if (c == '.')
            {
                dots++;
            }
            else if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return dots == 3;
    }

    private static bool TryParsePort(ReadOnlySpan<char> text, out int port, out string? error)
    {
        port = 0;
        error = null;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                error = $"port '{text.ToString()}' is not a decimal number";
                return false;
            }
        }

        // HTTP.sys: decimal, no leading zero. "0" alone is our extension for a dynamic port.
        if (text.Length > 1 && text[0] == '0')
        {
            error = $"port '{text.ToString()}' has a leading zero";
            return false;
        }

        if (text.Length > 5 || (port = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture)) > 65535)
        {
            error = $"port '{text.ToString()}' is out of range; use 1-65535, or 0 for a free port";
            port = 0;
            return false;
        }

        return true;
    }

    private static bool TryNormalisePath(string raw, out string path, out string? error, out int errorAt)
    {
        path = "/";
        errorAt = 0;
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c is '?' or '#' || char.IsControl(c) || c == ' ')
            {
                errorAt = i;
                error = $"the path contains '{EscapeForMessage(c)}', which is not allowed in a URL prefix";
                return false;
            }
        }

        if (!PathCanonicalizer.TryCanonicalize(raw, out var cooked, out var reason))
        {
            error = $"the path is not a valid URL path ({reason})";
            return false;
        }

        path = cooked.EndsWith('/') ? cooked : cooked + "/";
        error = null;
        return true;
    }

    private static string EscapeForMessage(char c) => char.IsControl(c) || c == ' ' ? $"U+{(int)c:X4}" : c.ToString();
}
