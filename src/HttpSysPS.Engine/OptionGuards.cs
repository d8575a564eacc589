namespace HttpSysPS.Engine;

/// <summary>Range checks shared by the options records: the exception names the parameter and the unit.</summary>
internal static class OptionGuards
{
    /// <summary>Null (unlimited) or at least 1.</summary>
    public static long? UnlimitedOrAtLeastOne(long? value, string name, string unit) => value is < 1
        ? throw new ArgumentOutOfRangeException(name, value, $"{name} must be null (unlimited) or at least 1 {unit}.")
        : value;
}
