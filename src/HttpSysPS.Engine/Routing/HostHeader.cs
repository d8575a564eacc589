using System.Net;
using System.Net.Sockets;

namespace HttpSysPS.Engine.Routing;

/// <summary>
/// Syntax check of a Host header value (RFC 9110 §7.2: <c>uri-host [ ":" port ]</c>) and extraction of the host part
/// for routing, without allocating for ASCII names.
/// </summary>
/// <remarks>
/// Deliberately stricter than RFC 3986 reg-name: only letters, digits, '-', '.', '_' and non-ASCII (IDN, checked later
/// by <see cref="UrlPrefix.TryNormaliseHostName"/>) are accepted, because HTTP.sys answers "400 Invalid Hostname" to
/// Host values with '/', '@', spaces and the like (spec §1.5) and a name with any other character can never equal a
/// registered host anyway. The port is checked for syntax only: routing uses the connection's local port.
/// </remarks>
internal static class HostHeader
{
    /// <summary>
    /// False when <paramref name="value"/> is malformed. Otherwise <paramref name="host"/> is the host part without
    /// the port and without one trailing dot; empty when the header was empty or absent. Bracketed IPv6 keeps its brackets.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> value, out ReadOnlySpan<char> host)
    {
        host = default;
        if (value.IsEmpty)
        {
            return true;
        }

        ReadOnlySpan<char> rest;
        if (value[0] == '[')
        {
            var close = value.IndexOf(']');
            if (close < 0)
            {
                return false;
            }

            var inner = value[1..close];
            // A zone id ('%25eth0', RFC 6874) has no meaning to the server; IPAddress.TryParse would accept "%eth0".
            // Parsing allocates one IPAddress, but only for IPv6-literal Host headers.
            if (inner.IsEmpty || inner.Contains('%') || !IPAddress.TryParse(inner, out var address) ||
                address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            host = value[..(close + 1)];
            rest = value[(close + 1)..];
        }
        else
        {
            var colon = value.IndexOf(':');
            if (colon >= 0 && value[(colon + 1)..].Contains(':'))
            {
                return false; // unbracketed IPv6, or two ports
            }

            host = colon < 0 ? value : value[..colon];
            rest = colon < 0 ? default : value[colon..];
            if (!IsValidName(host))
            {
                host = default;
                return false;
            }

            if (host[^1] == '.')
            {
                host = host[..^1]; // "example.com." is the same name (UrlPrefix stores it without the dot too)
            }
        }

        if (!IsValidPort(rest))
        {
            host = default;
            return false;
        }

        return true;
    }

    private static bool IsValidName(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name[0] == '.' || name.Contains("..", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' || (c > 0x7F && !char.IsWhiteSpace(c) && !char.IsControl(c))))
            {
                return false;
            }
        }

        return true;
    }

    // rest is empty, or ':' followed by the port. RFC 3986 allows an empty port ("host:"); it means the default.
    private static bool IsValidPort(ReadOnlySpan<char> rest)
    {
        if (rest.IsEmpty)
        {
            return true;
        }

        if (rest[0] != ':')
        {
            return false;
        }

        var digits = rest[1..];
        if (digits.Length > 5)
        {
            return false;
        }

        var port = 0;
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            port = (port * 10) + (c - '0');
        }

        return port <= 65535;
    }
}
