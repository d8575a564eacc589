using System.Globalization;
using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Engine.Configuration;

/// <summary>
/// Who may register (listen on) a prefix and who may create or delete a reservation, as HTTP.sys decides it
/// (spec §2.2, §2.3). Pure functions of the prefix, the identity and the reservations: no state, no I/O.
/// </summary>
public static class AccessCheck
{
    /// <summary>
    /// Decides whether <paramref name="identity"/> may register <paramref name="prefix"/>:
    /// <list type="number">
    /// <item>root/Administrator may register anything;</item>
    /// <item>otherwise the longest reservation in the same host bucket (same scheme and port; same host for an
    /// explicit host; same address for an IP-bound host; a <c>+</c> reservation does not cover an explicit host)
    /// whose path contains the prefix's path decides, by its Listen right for the user, one of its groups or Everyone.
    /// A shorter reservation never overrides a longer one that denies;</item>
    /// <item>with no deciding reservation, <c>http</c> on the literal host <c>localhost</c> with a port above 1024 is
    /// allowed, unless any reservation exists for that scheme and port (it revokes the exemption, HttpSysServer#492);</item>
    /// <item>otherwise denied.</item>
    /// </list>
    /// Port 0 (chosen at start) is judged like a port above 1024 with no reservation, since no reservation can name it;
    /// check again with the bound port if the listener learns it before accepting.
    /// </summary>
    public static AccessGrant EvaluateRegister(UrlPrefix prefix, ProcessIdentity identity, IReadOnlyList<UrlReservation> reservations)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(reservations);
        if (prefix.IsUnixSocket)
        {
            return AccessGrant.UnixSocket;
        }

        if (identity.IsAdministrator)
        {
            return AccessGrant.Administrator;
        }

        var deciding = LongestInBucket(prefix, reservations, strictParent: false);
        if (deciding is not null)
        {
            return deciding.GrantsListen(identity) ? AccessGrant.Reservation : AccessGrant.Denied;
        }

        var exempt = prefix.Scheme == "http"
            && prefix.Category == HostCategory.Explicit
            && prefix.Host == "localhost"
            && (prefix.Port > 1024 || prefix.IsDynamicPort)
            && !reservations.Any(r => r.Url.Scheme == prefix.Scheme && r.Url.Port == prefix.Port);
        return exempt ? AccessGrant.LocalhostExemption : AccessGrant.Denied;
    }

    /// <summary>
    /// Throws <see cref="HttpSysException"/> (<see cref="HttpSysErrorReason.AccessDenied"/>) when
    /// <see cref="EvaluateRegister"/> denies; the message names the exact commands that would grant the right.
    /// </summary>
    public static void EnsureCanRegister(UrlPrefix prefix, ProcessIdentity identity, IReadOnlyList<UrlReservation> reservations)
    {
        if (EvaluateRegister(prefix, identity, reservations) != AccessGrant.Denied)
        {
            return;
        }

        var deciding = LongestInBucket(prefix, reservations, strictParent: false);
        var why = deciding is null
            ? "no URL reservation covers it"
            : $"the reservation '{deciding.Url}' does not grant listen to user '{identity.UserName}' or its groups";
        var url = deciding?.Url.FullPrefix ?? prefix.FullPrefix;
        throw new HttpSysException(
            HttpSysErrorReason.AccessDenied,
            string.Format(
                CultureInfo.InvariantCulture,
                "Access denied: user '{0}' may not listen on '{1}': {2}. As root (or Administrator), grant it with: Add-UrlReservation -Url '{3}' -User '{0}'   or   httpsys add urlacl url={3} user={0}",
                identity.UserName,
                prefix.FullPrefix,
                why,
                url));
    }

    /// <summary>
    /// Decides whether <paramref name="identity"/> may create or delete the reservation <paramref name="url"/>:
    /// root/Administrator always; otherwise the longest reservation in the same bucket whose path is a strict parent of
    /// <paramref name="url"/>'s path must grant Delegate (spec §2.2). No parent means only root may.
    /// </summary>
    public static AccessGrant EvaluateReserve(UrlPrefix url, ProcessIdentity identity, IReadOnlyList<UrlReservation> reservations)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(reservations);
        if (identity.IsAdministrator)
        {
            return AccessGrant.Administrator;
        }

        var parent = LongestInBucket(url, reservations, strictParent: true);
        return parent is not null && parent.GrantsDelegate(identity) ? AccessGrant.Reservation : AccessGrant.Denied;
    }

    /// <summary>Throws AccessDenied when <see cref="EvaluateReserve"/> denies, naming the parent that would need delegate.</summary>
    public static void EnsureCanReserve(UrlPrefix url, ProcessIdentity identity, IReadOnlyList<UrlReservation> reservations)
    {
        if (EvaluateReserve(url, identity, reservations) != AccessGrant.Denied)
        {
            return;
        }

        var parent = LongestInBucket(url, reservations, strictParent: true);
        var why = parent is null
            ? "no parent reservation delegates it, so only root may"
            : $"the parent reservation '{parent.Url}' does not grant delegate to user '{identity.UserName}' or its groups";
        throw new HttpSysException(
            HttpSysErrorReason.AccessDenied,
            $"Access denied: user '{identity.UserName}' may not change the reservation '{url}': {why}. Run as root (e.g. sudo), or have root grant delegate on a parent: httpsys add urlacl url=<parent> user={identity.UserName} delegate=yes");
    }

    /// <summary>True when both prefixes fall in the same HTTP.sys host bucket on the same scheme and port (spec §1.2).</summary>
    public static bool SameBucket(UrlPrefix a, UrlPrefix b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Scheme == b.Scheme && a.Port == b.Port && a.Category == b.Category && a.Category switch
        {
            HostCategory.Explicit => string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase),
            HostCategory.IPBound => Equals(a.Address, b.Address),
            _ => true,
        };
    }

    private static UrlReservation? LongestInBucket(UrlPrefix prefix, IReadOnlyList<UrlReservation> reservations, bool strictParent)
    {
        UrlReservation? best = null;
        foreach (var reservation in reservations)
        {
            var path = reservation.Url.Path;
            // Paths are normalised to end with '/', so a StartsWith match is a whole-segment match.
            var contains = prefix.Path.StartsWith(path, StringComparison.OrdinalIgnoreCase)
                && (!strictParent || path.Length < prefix.Path.Length);
            if (contains && SameBucket(reservation.Url, prefix) && (best is null || path.Length > best.Url.Path.Length))
            {
                best = reservation;
            }
        }

        return best;
    }
}
