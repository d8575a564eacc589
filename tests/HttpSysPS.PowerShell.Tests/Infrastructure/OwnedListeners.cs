using System.Management.Automation;

namespace HttpSysPS.PowerShell.Tests.Infrastructure;

/// <summary>
/// Names for the listeners one test creates, and their removal afterwards: the registry is shared by every test of
/// the process, so a test removes only what it named here (by exact name, wildcards escaped), even when it failed.
/// </summary>
public sealed class OwnedListeners(ModuleSession session) : IDisposable
{
    private readonly List<string> _names = [];

    /// <summary>A unique listener name starting with <paramref name="stem"/>, removed on <see cref="Dispose"/>.</summary>
    public string Name(string stem)
    {
        var name = ModuleSession.UniqueName(stem);
        Own(name);
        return name;
    }

    /// <summary>Removes <paramref name="name"/> on <see cref="Dispose"/> too (a name the test made up itself).</summary>
    public string Own(string name)
    {
        lock (_names)
        {
            _names.Add(name);
        }

        return name;
    }

    public void Dispose()
    {
        string[] names;
        lock (_names)
        {
            names = [.. _names];
        }

        if (names.Length > 0)
        {
            session.Run(
                "Remove-HttpSysListener -Name ($args | ForEach-Object { [WildcardPattern]::Escape($_) }) -Force -Confirm:$false -ErrorAction Ignore",
                names.Cast<object?>().ToArray());
        }
    }
}

/// <summary>Reading properties of PowerShell output.</summary>
public static class PSObjectExtensions
{
    /// <summary>The value of property <paramref name="name"/>, as <typeparamref name="T"/> (PowerShell's conversion rules).</summary>
    public static T Get<T>(this PSObject value, string name) =>
        LanguagePrimitives.ConvertTo<T>((value.Properties[name] ?? throw new KeyNotFoundException($"No property '{name}' on {value}.")).Value);

    /// <summary>The strings of a list property such as BoundUrl.</summary>
    public static string[] Strings(this PSObject value, string name) => value.Get<string[]>(name);
}
