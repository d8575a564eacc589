namespace HttpSysPS.Engine.Configuration;

/// <summary>The two kinds of SSL binding key netsh knows (spec §3.1); CCS is not supported.</summary>
public enum SslBindingKeyKind
{
    /// <summary><c>ipport=IP:PORT</c>: chosen by the local address the connection arrived on.</summary>
    IpPort = 0,

    /// <summary><c>hostnameport=NAME:PORT</c>: chosen by the TLS SNI server name.</summary>
    HostnamePort = 1,
}
