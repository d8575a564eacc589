namespace HttpSysPS.Engine.Configuration;

/// <summary>
/// A user, a group or Everyone, as named in a <see cref="UrlReservation"/> ACL.
/// </summary>
/// <remarks>
/// Syntax (HttpSysPS's choice; netsh names Windows accounts, which Linux and macOS do not have):
/// <list type="bullet">
/// <item><c>user:NAME</c> — a user; a bare <c>NAME</c> means the same.</item>
/// <item><c>group:NAME</c> — every member of the group (supplementary or primary).</item>
/// <item><c>Everyone</c> (any case; also <c>\Everyone</c> as netsh prints it) — every process.</item>
/// <item><c>DOMAIN\NAME</c> — accepted so netsh lines from Windows playbooks work unchanged: the domain part is dropped
/// and NAME is a user, except <c>BUILTIN\NAME</c>, which is the group NAME (Windows builtin groups are groups).</item>
/// </list>
/// Names compare case-sensitively on Linux and macOS (account names are case-sensitive there) and
/// case-insensitively on Windows. The canonical text is <c>user:NAME</c>, <c>group:NAME</c> or <c>Everyone</c>.
/// </remarks>
public sealed record Principal
{
    private Principal(PrincipalKind kind, string name)
    {
        Kind = kind;
        Name = name;
    }

    /// <summary>User, group or Everyone.</summary>
    public PrincipalKind Kind { get; }

    /// <summary>The account or group name; <c>Everyone</c> for <see cref="PrincipalKind.Everyone"/>.</summary>
    public string Name { get; }

    /// <summary>The principal that grants every process.</summary>
    public static Principal Everyone { get; } = new(PrincipalKind.Everyone, "Everyone");

    /// <summary>A user principal.</summary>
    public static Principal User(string name) => new(PrincipalKind.User, ValidateName(name, "user"));

    /// <summary>A group principal.</summary>
    public static Principal Group(string name) => new(PrincipalKind.Group, ValidateName(name, "group"));

    /// <summary>Parses the syntax described on the type; throws <see cref="HttpSysException"/> (InvalidArgument) on bad input.</summary>
    public static Principal Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim();
        if (value.Equals("Everyone", StringComparison.OrdinalIgnoreCase) || value.Equals("\\Everyone", StringComparison.OrdinalIgnoreCase))
        {
            return Everyone;
        }

        if (value.StartsWith("user:", StringComparison.OrdinalIgnoreCase))
        {
            return User(value[5..]);
        }

        if (value.StartsWith("group:", StringComparison.OrdinalIgnoreCase))
        {
            return Group(value[6..]);
        }

        var backslash = value.LastIndexOf('\\');
        if (backslash >= 0)
        {
            var domain = value[..backslash];
            var name = value[(backslash + 1)..];
            return domain.Equals("BUILTIN", StringComparison.OrdinalIgnoreCase) ? Group(name) : User(name);
        }

        return User(value);
    }

    /// <summary>True when this principal names <paramref name="identity"/>, one of its groups, or is Everyone.</summary>
    public bool Includes(ProcessIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        var comparer = NameComparer;
        return Kind switch
        {
            PrincipalKind.Everyone => true,
            PrincipalKind.User => comparer.Equals(Name, identity.UserName),
            _ => identity.Groups.Contains(Name, comparer),
        };
    }

    /// <summary>The canonical text: <c>user:NAME</c>, <c>group:NAME</c> or <c>Everyone</c>.</summary>
    public override string ToString() => Kind switch
    {
        PrincipalKind.Everyone => "Everyone",
        PrincipalKind.User => "user:" + Name,
        _ => "group:" + Name,
    };

    public bool Equals(Principal? other) => other is not null && Kind == other.Kind && NameComparer.Equals(Name, other.Name);

    public override int GetHashCode() => HashCode.Combine(Kind, NameComparer.GetHashCode(Name));

    // Linux/macOS account names are case-sensitive; treating "Bob" as "bob" would grant the wrong account.
    private static StringComparer NameComparer => OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    private static string ValidateName(string name, string what)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.Trim();
        if (trimmed.Length == 0 || trimmed.Any(c => char.IsControl(c) || c is ':' or '\\' or '/'))
        {
            throw new HttpSysException(HttpSysErrorReason.InvalidArgument, $"Invalid {what} name '{name}': use user:NAME, group:NAME or Everyone.");
        }

        return trimmed;
    }
}
