using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Engine.Configuration;

/// <summary>
/// A URL reservation (netsh "urlacl"): a prefix and who may listen under it or delegate below it (spec §2).
/// </summary>
/// <remarks>
/// The URL is a normalised <see cref="UrlPrefix"/> with a concrete TCP port: port 0 and Unix socket prefixes are
/// rejected because a reservation guards a namespace on a port (Unix sockets are guarded by file permissions).
/// Two reservations are equal when their URLs are equal (case-insensitive, after normalisation) and their ACLs hold
/// the same entries in any order.
/// </remarks>
public sealed class UrlReservation : IEquatable<UrlReservation>
{
    /// <summary>Creates a reservation; throws <see cref="HttpSysException"/> (InvalidArgument) for port 0, Unix sockets, an empty or duplicate ACL.</summary>
    public UrlReservation(UrlPrefix url, IEnumerable<UrlReservationAce> acl)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(acl);
        if (url.IsUnixSocket)
        {
            throw new HttpSysException(HttpSysErrorReason.InvalidArgument, $"Cannot reserve '{url}': Unix socket prefixes are protected by the socket file's permissions, not by reservations.");
        }

        if (url.Port == 0)
        {
            throw new HttpSysException(HttpSysErrorReason.InvalidArgument, $"Cannot reserve '{url}': a reservation needs a concrete port (1-65535), not 0.");
        }

        var entries = acl.ToArray();
        if (entries.Length == 0)
        {
            throw new HttpSysException(HttpSysErrorReason.InvalidArgument, $"Cannot reserve '{url}': name at least one principal (user:NAME, group:NAME or Everyone).");
        }

        if (entries.Select(e => e.Principal).Distinct().Count() != entries.Length)
        {
            throw new HttpSysException(HttpSysErrorReason.InvalidArgument, $"Cannot reserve '{url}': a principal is listed more than once.");
        }

        Url = url;
        Acl = entries;
    }

    /// <summary>Parses <paramref name="url"/> with <see cref="UrlPrefix.Parse"/> (MalformedPrefix on failure) and grants every principal the same rights.</summary>
    public static UrlReservation Create(string url, IEnumerable<string> principals, bool listen = true, bool @delegate = false)
    {
        ArgumentNullException.ThrowIfNull(principals);
        return new UrlReservation(ParseUrl(url), principals.Select(p => new UrlReservationAce(Principal.Parse(p), listen, @delegate)).ToArray());
    }

    /// <summary>Parses a reservation URL, mapping a malformed prefix to <see cref="HttpSysErrorReason.MalformedPrefix"/>.</summary>
    public static UrlPrefix ParseUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return UrlPrefix.TryParse(url, out var prefix, out var error)
            ? prefix!
            : throw new HttpSysException(HttpSysErrorReason.MalformedPrefix, error!);
    }

    /// <summary>The reserved prefix, normalised.</summary>
    public UrlPrefix Url { get; }

    /// <summary>The access entries, one per principal.</summary>
    public IReadOnlyList<UrlReservationAce> Acl { get; }

    /// <summary>True when some entry for a principal that includes <paramref name="identity"/> grants Listen.</summary>
    public bool GrantsListen(ProcessIdentity identity) => Acl.Any(e => e.Listen && e.Principal.Includes(identity));

    /// <summary>True when some entry for a principal that includes <paramref name="identity"/> grants Delegate.</summary>
    public bool GrantsDelegate(ProcessIdentity identity) => Acl.Any(e => e.Delegate && e.Principal.Includes(identity));

    public bool Equals(UrlReservation? other) =>
        other is not null && Url.Equals(other.Url) && Acl.Count == other.Acl.Count && Acl.All(other.Acl.Contains);

    public override bool Equals(object? obj) => obj is UrlReservation other && Equals(other);

    public override int GetHashCode() => Url.GetHashCode();

    /// <summary>The URL, as netsh prints "Reserved URL".</summary>
    public override string ToString() => Url.FullPrefix;
}
