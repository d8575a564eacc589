namespace HttpSysPS.Engine.Configuration;

/// <summary>The identity the access check judges: a user name, its groups, and whether it is root/Administrator.</summary>
/// <remarks>Injected wherever rights are checked, so tests cover every rule without switching users.</remarks>
public sealed record ProcessIdentity
{
    /// <summary>Creates an identity.</summary>
    public ProcessIdentity(string userName, IReadOnlyList<string> groups, bool isAdministrator)
    {
        ArgumentException.ThrowIfNullOrEmpty(userName);
        ArgumentNullException.ThrowIfNull(groups);
        UserName = userName;
        Groups = groups.ToArray();
        IsAdministrator = isAdministrator;
    }

    /// <summary>The account name (Linux/macOS login name; Windows user name without domain).</summary>
    public string UserName { get; }

    /// <summary>Group names the user belongs to (primary and supplementary); may be empty.</summary>
    public IReadOnlyList<string> Groups { get; }

    /// <summary>True for root (uid 0) or an elevated Administrator: the implicit owner of the whole namespace (spec §2.2).</summary>
    public bool IsAdministrator { get; }

    /// <summary>
    /// The identity of this process. Privilege comes from <see cref="Environment.IsPrivilegedProcess"/> (uid 0 / elevated).
    /// Groups on Linux and macOS are read from <c>/etc/passwd</c> (primary gid) and <c>/etc/group</c> (memberships);
    /// directory-service groups (LDAP, AD) that are not in those files are not seen. On Windows no groups are read
    /// (the BCL has no token API without an extra package), so grant Windows users by name or Everyone.
    /// </summary>
    public static ProcessIdentity Current()
    {
        var user = Environment.UserName;
        var groups = OperatingSystem.IsWindows() ? Array.Empty<string>() : ReadUnixGroups(user, "/etc/passwd", "/etc/group");
        return new ProcessIdentity(user, groups, Environment.IsPrivilegedProcess);
    }

    /// <summary>Parses passwd/group files for <paramref name="user"/>'s groups; unreadable files or lines are skipped.</summary>
    internal static IReadOnlyList<string> ReadUnixGroups(string user, string passwdPath, string groupPath)
    {
        var groups = new List<string>();
        string? primaryGid = null;
        foreach (var line in ReadLines(passwdPath))
        {
            // name:password:uid:gid:gecos:home:shell
            var fields = line.Split(':');
            if (fields.Length >= 4 && fields[0] == user)
            {
                primaryGid = fields[3];
                break;
            }
        }

        foreach (var line in ReadLines(groupPath))
        {
            // name:password:gid:member1,member2
            var fields = line.Split(':');
            if (fields.Length < 4)
            {
                continue;
            }

            var member = fields[2] == primaryGid || fields[3].Split(',', StringSplitOptions.TrimEntries).Contains(user, StringComparer.Ordinal);
            if (member && !groups.Contains(fields[0], StringComparer.Ordinal))
            {
                groups.Add(fields[0]);
            }
        }

        return groups;
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path).Where(l => l.Length > 0 && l[0] != '#');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Tolerant by design: a missing /etc/group only means fewer group grants, never a crash.
            return [];
        }
    }
}
