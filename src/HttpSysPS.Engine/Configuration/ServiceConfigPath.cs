namespace HttpSysPS.Engine.Configuration;

/// <summary>
/// The one place that decides where the configuration store lives.
/// </summary>
/// <remarks>
/// Order: an explicit path (cmdlet <c>-ConfigPath</c>, host <c>--config</c>) &gt; the <c>HTTPSYSPS_CONFIG</c>
/// environment variable &gt; the machine path: Linux <c>/etc/httpsysps/config.json</c>, macOS
/// <c>/Library/Application Support/HttpSysPS/config.json</c>, Windows <c>%ProgramData%\HttpSysPS\config.json</c>.
/// Relative paths are made absolute against the current directory.
/// </remarks>
public static class ServiceConfigPath
{
    /// <summary>The environment variable that overrides the machine path.</summary>
    public const string EnvironmentVariable = "HTTPSYSPS_CONFIG";

    /// <summary>The machine-wide store path of the running OS.</summary>
    public static string MachineDefault => ForPlatform(
        OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "macos" : "linux",
        Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData));

    /// <summary>Resolves the store path; <paramref name="getEnvironmentVariable"/> is injectable for tests (default: the process environment).</summary>
    public static string Resolve(string? explicitPath, Func<string, string?>? getEnvironmentVariable = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return Path.GetFullPath(explicitPath);
        }

        var fromEnvironment = (getEnvironmentVariable ?? Environment.GetEnvironmentVariable)(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? MachineDefault : Path.GetFullPath(fromEnvironment);
    }

    /// <summary>True when <paramref name="path"/> is the machine-wide store (not a per-user override).</summary>
    public static bool IsMachineDefault(string path) =>
        string.Equals(Path.GetFullPath(path), MachineDefault, OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);

    /// <summary>The machine path for <paramref name="platform"/> (<c>linux</c>, <c>macos</c> or <c>windows</c>).</summary>
    internal static string ForPlatform(string platform, string programData) => platform switch
    {
        "windows" => Path.Join(programData, "HttpSysPS", "config.json"),
        "macos" => "/Library/Application Support/HttpSysPS/config.json",
        _ => "/etc/httpsysps/config.json",
    };
}
