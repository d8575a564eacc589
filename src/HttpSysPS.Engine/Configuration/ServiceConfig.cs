using System.Net;
using System.Net.Sockets;
using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Engine.Configuration;

/// <summary>
/// One immutable snapshot of the machine-wide configuration: URL reservations, SSL bindings and service-wide
/// timeouts (what HTTP.sys keeps under <c>HKLM\...\HTTP\Parameters</c>). The <c>With…</c>/<c>Without…</c> methods
/// return the same instance when nothing changes, which is how the store knows not to rewrite the file.
/// </summary>
public sealed class ServiceConfig
{
    /// <summary>Creates a snapshot; the lists are copied.</summary>
    public ServiceConfig(IEnumerable<UrlReservation> urlReservations, IEnumerable<SslBinding> sslBindings, TimeoutLimits timeouts)
    {
        ArgumentNullException.ThrowIfNull(urlReservations);
        ArgumentNullException.ThrowIfNull(sslBindings);
        ArgumentNullException.ThrowIfNull(timeouts);
        UrlReservations = urlReservations.ToArray();
        SslBindings = sslBindings.ToArray();
        Timeouts = timeouts;
    }

    /// <summary>No reservations, no bindings, every timeout inherited from the HTTP.sys defaults.</summary>
    public static ServiceConfig Empty { get; } = new([], [], TimeoutLimits.Inherit);

    /// <summary>URL reservations in the order they were added.</summary>
    public IReadOnlyList<UrlReservation> UrlReservations { get; }

    /// <summary>SSL bindings in the order they were added.</summary>
    public IReadOnlyList<SslBinding> SslBindings { get; }

    /// <summary>Service-wide timeouts; 0 = HTTP.sys default. Listeners resolve theirs with <see cref="TimeoutLimits.Resolve"/>.</summary>
    public TimeoutLimits Timeouts { get; }

    /// <summary>The reservation for exactly this URL (after normalisation), or null.</summary>
    public UrlReservation? FindUrlReservation(UrlPrefix url) => UrlReservations.FirstOrDefault(r => r.Url.Equals(url));

    /// <summary>The binding with exactly this key, or null.</summary>
    public SslBinding? FindSslBinding(SslBindingKey key) => SslBindings.FirstOrDefault(b => b.Key.Equals(key));

    /// <summary>
    /// The binding a TLS handshake uses (spec §3.2): the hostnameport binding for the SNI name and port; else the ipport
    /// binding for the local address and port; else <c>[::]:port</c> for an IPv6 address; else <c>0.0.0.0:port</c>,
    /// which covers IPv4 and IPv6. Null when nothing matches: HTTP.sys then fails the handshake.
    /// </summary>
    public SslBinding? SelectSslBinding(string? serverName, IPAddress localAddress, int port)
    {
        ArgumentNullException.ThrowIfNull(localAddress);
        if (!string.IsNullOrEmpty(serverName)
            && SslBindings.FirstOrDefault(b => b.Key.Kind == SslBindingKeyKind.HostnamePort && b.Key.Port == port
                && string.Equals(b.Key.Hostname, serverName.TrimEnd('.'), StringComparison.OrdinalIgnoreCase)) is { } sni)
        {
            return sni;
        }

        // A dual-mode socket reports IPv4 peers as ::ffff:a.b.c.d; bindings name the IPv4 address.
        var address = localAddress.IsIPv4MappedToIPv6 ? localAddress.MapToIPv4() : localAddress;
        bool OnIp(SslBinding b, IPAddress ip) => b.Key.Kind == SslBindingKeyKind.IpPort && b.Key.Port == port && b.Key.Address!.Equals(ip);
        return SslBindings.FirstOrDefault(b => OnIp(b, address))
            ?? (address.AddressFamily == AddressFamily.InterNetworkV6 ? SslBindings.FirstOrDefault(b => OnIp(b, IPAddress.IPv6Any)) : null)
            ?? SslBindings.FirstOrDefault(b => OnIp(b, IPAddress.Any));
    }

    /// <summary>
    /// Adds <paramref name="reservation"/>. The same URL with the same ACL is a no-op (returns this); the same URL with
    /// another ACL is <see cref="HttpSysErrorReason.AlreadyExists"/> unless <paramref name="force"/>, which replaces it.
    /// A reservation for the other scheme on the same port is <see cref="HttpSysErrorReason.SchemePortConflict"/>
    /// (HTTP.sys: http and https cannot share a port, spec §1.1).
    /// </summary>
    public ServiceConfig WithUrlReservation(UrlReservation reservation, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        var existing = FindUrlReservation(reservation.Url);
        if (existing is not null)
        {
            if (existing.Equals(reservation))
            {
                return this;
            }

            if (!force)
            {
                throw new HttpSysException(
                    HttpSysErrorReason.AlreadyExists,
                    $"The URL '{reservation.Url}' is already reserved with a different ACL ({string.Join(", ", existing.Acl.Select(e => e.Principal))}). Use -Force (httpsys: --force), or delete it first, to replace it.");
            }

            return new ServiceConfig(UrlReservations.Select(r => ReferenceEquals(r, existing) ? reservation : r), SslBindings, Timeouts);
        }

        var other = UrlReservations.FirstOrDefault(r => r.Url.Port == reservation.Url.Port && r.Url.Scheme != reservation.Url.Scheme);
        if (other is not null)
        {
            throw new HttpSysException(
                HttpSysErrorReason.SchemePortConflict,
                $"Cannot reserve '{reservation.Url}': port {reservation.Url.Port} already has the {other.Url.Scheme} reservation '{other.Url}', and http and https cannot share a port.");
        }

        return new ServiceConfig(UrlReservations.Append(reservation), SslBindings, Timeouts);
    }

    /// <summary>Removes the reservation for exactly <paramref name="url"/>; absent is a no-op (returns this).</summary>
    public ServiceConfig WithoutUrlReservation(UrlPrefix url)
    {
        var existing = FindUrlReservation(url);
        return existing is null ? this : new ServiceConfig(UrlReservations.Where(r => !ReferenceEquals(r, existing)), SslBindings, Timeouts);
    }

    /// <summary>Writes <paramref name="binding"/> according to <paramref name="mode"/>; an identical binding is a no-op.</summary>
    public ServiceConfig WithSslBinding(SslBinding binding, SslBindingWriteMode mode = SslBindingWriteMode.Set)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var existing = FindSslBinding(binding.Key);
        if (existing is not null && existing.Equals(binding))
        {
            return this;
        }

        if (existing is not null && mode == SslBindingWriteMode.Add)
        {
            throw new HttpSysException(HttpSysErrorReason.AlreadyExists, $"An SSL binding for '{binding.Key}' already exists with different settings; use 'update sslcert' or Set-SslBinding to replace it.");
        }

        if (existing is null && mode == SslBindingWriteMode.Update)
        {
            throw new HttpSysException(HttpSysErrorReason.NotFound, $"There is no SSL binding for '{binding.Key}' to update; use 'add sslcert'.");
        }

        return existing is null
            ? new ServiceConfig(UrlReservations, SslBindings.Append(binding), Timeouts)
            : new ServiceConfig(UrlReservations, SslBindings.Select(b => ReferenceEquals(b, existing) ? binding : b), Timeouts);
    }

    /// <summary>Removes the binding with exactly <paramref name="key"/>; absent is a no-op (returns this).</summary>
    public ServiceConfig WithoutSslBinding(SslBindingKey key)
    {
        var existing = FindSslBinding(key);
        return existing is null ? this : new ServiceConfig(UrlReservations, SslBindings.Where(b => !ReferenceEquals(b, existing)), Timeouts);
    }

    /// <summary>Replaces the service-wide timeouts; equal values are a no-op (returns this).</summary>
    public ServiceConfig WithTimeouts(TimeoutLimits timeouts)
    {
        ArgumentNullException.ThrowIfNull(timeouts);
        return timeouts.Equals(Timeouts) ? this : new ServiceConfig(UrlReservations, SslBindings, timeouts);
    }
}
