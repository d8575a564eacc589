using System.Management.Automation;

namespace HttpSysPS.Cmdlets.Hosting;

/// <summary>
/// The one place where PowerShell's wrapper objects are taken off values handed to the engine, which knows nothing of
/// <see cref="PSObject"/>: a <c>[pscustomobject]</c> becomes an ordered <c>Dictionary&lt;string, object?&gt;</c> of its
/// properties (values adapted again by the caller, level by level), any other PSObject its base object.
/// </summary>
internal static class PowerShellValues
{
    /// <summary>The engine-visible form of <paramref name="value"/> (see the class remarks).</summary>
    public static object? Adapt(object value)
    {
        if (value is not PSObject wrapped)
        {
            return value;
        }

        if (wrapped.BaseObject is not PSCustomObject)
        {
            return wrapped.BaseObject;
        }

        // Dictionary<,> keeps insertion order while nothing is removed: the properties stay in the script's order.
        var properties = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in wrapped.Properties)
        {
            try
            {
                properties[property.Name] = property.Value;
            }
            catch (GetValueException)
            {
                // A script property that throws is left out, as an engine object's throwing getter is.
            }
        }

        return properties;
    }

    /// <summary>The base object of a wrapped value (for option values such as timer seconds); null stays null.</summary>
    public static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
