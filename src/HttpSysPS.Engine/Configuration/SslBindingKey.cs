using System.Globalization;
using System.Net;
using System.Net.Sockets;
using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Engine.Configuration;

/// <summary>
/// The key of an <see cref="SslBinding"/>: <c>IP:port</c> or <c>hostname:port</c> (spec §3.1).
/// </summary>
/// <remarks>
/// IPv6 addresses are written in brackets (<c>[::1]:443</c>). <c>0.0.0.0:port</c> covers every IPv4 and IPv6
/// address and <c>[::]:port</c> every IPv6 address (spec §3.2). Host names are lower-cased (IDNA form for
/// Unicode) because SNI names compare case-insensitively. The text form is unambiguous: an IP literal is an
/// ipport key, anything else a hostnameport key (SNI never carries an IP literal, RFC 6066 §3).
/// </remarks>
public sealed record SslBindingKey
{
    private SslBindingKey(SslBindingKeyKind kind, IPAddress? address, string? hostname, int port)
    {
        Kind = kind;
        Address = address;
        Hostname = hostname;
        Port = port;
    }

    /// <summary>IpPort or HostnamePort.</summary>
    public SslBindingKeyKind Kind { get; }

    /// <summary>The address of an ipport key (<see cref="IPAddress.Any"/> for 0.0.0.0); null for hostnameport.</summary>
    public IPAddress? Address { get; }

    /// <summary>The SNI host name of a hostnameport key, lower case; null for ipport.</summary>
    public string? Hostname { get; }

    /// <summary>The TCP port, 1-65535.</summary>
    public int Port { get; }

    /// <summary>An ipport key.</summary>
    public static SslBindingKey ForIpPort(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        return new SslBindingKey(SslBindingKeyKind.IpPort, address, null, CheckPort(port, address.ToString()));
    }

    /// <summary>A hostnameport key; the name is normalised like a <see cref="UrlPrefix"/> host.</summary>
    public static SslBindingKey ForHostnamePort(string hostname, int port)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostname);
        if (IPAddress.TryParse(hostname.Trim('[', ']'), out _) || !UrlPrefix.TryNormaliseHostName(hostname, out var host, out _))
        {
            throw Invalid($"{hostname}:{port}", "hostnameport needs a DNS name, not an IP address or wildcard");
        }

        return new SslBindingKey(SslBindingKeyKind.HostnamePort, null, host, CheckPort(port, hostname));
    }

    /// <summary>Parses <c>IP:port</c>, <c>[IPv6]:port</c> or <c>name:port</c>; the kind follows from the text.</summary>
    public static SslBindingKey Parse(string text)
    {
        var (host, port) = Split(text);
        return IPAddress.TryParse(host.Trim('[', ']'), out var address) && (host[0] == '[') == (address.AddressFamily == AddressFamily.InterNetworkV6)
            ? ForIpPort(address, port)
            : ForHostnamePort(host, port);
    }

    /// <summary>Parses a netsh <c>ipport=</c> value; a host name is an error.</summary>
    public static SslBindingKey ParseIpPort(string text)
    {
        var key = Parse(text);
        return key.Kind == SslBindingKeyKind.IpPort ? key : throw Invalid(text, "ipport needs an IP address (IPv6 in brackets); use hostnameport for a host name");
    }

    /// <summary>Parses a netsh <c>hostnameport=</c> value; an IP address is an error.</summary>
    public static SslBindingKey ParseHostnamePort(string text)
    {
        var (host, port) = Split(text);
        return ForHostnamePort(host, port);
    }

    /// <summary><c>0.0.0.0:443</c>, <c>[::1]:443</c> or <c>www.contoso.com:443</c>.</summary>
    public override string ToString()
    {
        var port = Port.ToString(CultureInfo.InvariantCulture);
        return Kind == SslBindingKeyKind.HostnamePort
            ? $"{Hostname}:{port}"
            : Address!.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Address}]:{port}" : $"{Address}:{port}";
    }

    private static (string Host, int Port) Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim();
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || (value.Contains(':', StringComparison.Ordinal) && value.IndexOf(':') != colon && value[0] != '['))
        {
            throw Invalid(text, "expected HOST:PORT (IPv6 in brackets, e.g. [::]:443)");
        }

        var host = value[..colon];
        if (host[0] == '[' && host[^1] != ']')
        {
            throw Invalid(text, "IPv6 address without closing ']'");
        }

        if (!int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            throw Invalid(text, $"port '{value[(colon + 1)..]}' is not a decimal number");
        }

        return (host, port);
    }

    private static int CheckPort(int port, string host) =>
        port is >= 1 and <= 65535 ? port : throw Invalid($"{host}:{port}", "the port must be 1-65535");

    private static HttpSysException Invalid(string text, string why) =>
        new(HttpSysErrorReason.InvalidArgument, $"Invalid SSL binding key '{text}': {why}.");
}
