using System.Net;
using System.Net.Security;
using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Engine.Tls;

/// <summary>
/// Chooses the SSL binding for a handshake (spec §3.2): the exact <c>hostnameport</c> binding for the SNI name and
/// local port (case-insensitive); else the <c>ipport</c> binding for the local address and port; else, for IPv6,
/// <c>[::]:port</c>; else <c>0.0.0.0:port</c>, which covers IPv4 and IPv6. Built from a config snapshot when
/// the bindings change, so a handshake does dictionary lookups only — no store I/O, no certificate loading.
/// </summary>
internal sealed class TlsCertificateSelector
{
    private readonly Dictionary<(string Host, int Port), TlsBindingContext> _byHost;
    private readonly Dictionary<(IPAddress Address, int Port), TlsBindingContext> _byAddress;
    private readonly HashSet<int> _portsWithHostBindings;

    private TlsCertificateSelector(Dictionary<(string, int), TlsBindingContext> byHost, Dictionary<(IPAddress, int), TlsBindingContext> byAddress, IReadOnlyList<string> errors)
    {
        _byHost = byHost;
        _byAddress = byAddress;
        _portsWithHostBindings = byHost.Keys.Select(k => k.Item2).ToHashSet();
        Errors = errors;
    }

    public static TlsCertificateSelector Empty { get; } = new(new(), new(), []);

    /// <summary>Bindings that could not be loaded (missing files, no private key), with the reason; their handshakes fail.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>The contexts of all usable bindings, for reuse by the next build.</summary>
    public IEnumerable<TlsBindingContext> Contexts => _byHost.Values.Concat(_byAddress.Values);

    /// <summary>
    /// Builds a selector for <paramref name="bindings"/>, reusing the loaded certificate of any binding that did not
    /// change (same settings, same file times) since <paramref name="previous"/>.
    /// </summary>
    public static TlsCertificateSelector Build(IReadOnlyList<SslBinding> bindings, TlsCertificateSelector? previous, SslCertificateLoader loader, IReadOnlyList<SslApplicationProtocol> protocols)
    {
        var reusable = new Dictionary<SslBinding, TlsBindingContext>();
        foreach (var context in previous?.Contexts ?? [])
        {
            reusable.TryAdd(context.Binding, context);
        }

        var byHost = new Dictionary<(string, int), TlsBindingContext>();
        var byAddress = new Dictionary<(IPAddress, int), TlsBindingContext>();
        var errors = new List<string>();
        foreach (var binding in bindings)
        {
            TlsBindingContext context;
            try
            {
                context = reusable.TryGetValue(binding, out var old) && old.Stamp == TlsBindingContext.StampOf(binding)
                    ? old
                    : TlsBindingContext.Create(binding, loader, protocols);
            }
            catch (Exception e) when (e is HttpSysException or IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                errors.Add($"SSL binding {binding.Key}: {e.Message}");
                continue;
            }

            if (binding.Key.Kind == SslBindingKeyKind.HostnamePort)
            {
                byHost[(binding.Key.Hostname!.ToLowerInvariant(), binding.Key.Port)] = context;
            }
            else
            {
                byAddress[(binding.Key.Address!, binding.Key.Port)] = context;
            }
        }

        return new TlsCertificateSelector(byHost, byAddress, errors);
    }

    /// <summary>
    /// The binding for a connection to <paramref name="localAddress"/>:<paramref name="port"/> when the client's SNI
    /// name cannot change it (no hostnameport binding on the port), so the handshake can start with it without first
    /// reading the ClientHello for a selection callback; else null (select per ClientHello with <see cref="Select"/>).
    /// </summary>
    public TlsBindingContext? SelectWithoutSni(IPAddress localAddress, int port) =>
        _portsWithHostBindings.Contains(port) ? null : Select(null, localAddress, port);

    /// <summary>The binding for a handshake, or null (the handshake then fails, as in HTTP.sys).</summary>
    public TlsBindingContext? Select(string? serverName, IPAddress localAddress, int port)
    {
        if (!string.IsNullOrEmpty(serverName) && _byHost.Count > 0 &&
            _byHost.TryGetValue((serverName.TrimEnd('.').ToLowerInvariant(), port), out var bySni))
        {
            return bySni;
        }

        var address = localAddress.IsIPv4MappedToIPv6 ? localAddress.MapToIPv4() : localAddress;
        if (_byAddress.TryGetValue((address, port), out var exact))
        {
            return exact;
        }

        // [::] (every IPv6 address) is narrower than 0.0.0.0 (every address), so for IPv6 it wins like a specific
        // address does; the same order as ServiceConfig.SelectSslBinding and docs/provisioning.md (spec §3.2 is [U]).
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && _byAddress.TryGetValue((IPAddress.IPv6Any, port), out var any6))
        {
            return any6;
        }

        return _byAddress.TryGetValue((IPAddress.Any, port), out var any) ? any : null;
    }
}
