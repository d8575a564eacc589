namespace HttpSysPS.Engine.Tests.Infrastructure;

/// <summary>
/// Real components some tests run (a KDC, PAM's test wrapper, gss-ntlmssp), installed from Debian packages listed in
/// .ci/apt-packages. Missing outside CI: the test is skipped with the exact install line. Missing under CI (env CI set):
/// the test runs and fails with that line, never a silent pass.
/// </summary>
internal static class DebianComponents
{
    private static readonly string[] CommandDirectories = [.. (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries), "/usr/sbin", "/sbin", "/usr/bin"];

    private static readonly string[] LibraryDirectories = ["/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu"];

    public static bool InCI => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"));

    public static string InstallLine(string packages) => $"apt-get update && apt-get install -y {packages}";

    /// <summary>The full path of a command, searched on PATH and the sbin directories (kadmin.local, krb5kdc live there).</summary>
    public static string? FindCommand(string name) =>
        CommandDirectories.Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    /// <summary>A library file (e.g. <c>libpam_wrapper.so</c> or <c>pam_wrapper/pam_matrix.so</c>) in the usual library directories.</summary>
    public static string? FindLibrary(string relativePath) =>
        LibraryDirectories.Select(d => Path.Combine(d, relativePath)).FirstOrDefault(File.Exists);

    /// <summary>
    /// Null when every requirement is present; else what is missing and the install line. Requirements are command names,
    /// or <c>lib:relative/path.so</c> for libraries.
    /// </summary>
    public static string? Missing(string packages, params string[] requirements)
    {
        var missing = requirements.Where(r => r.StartsWith("lib:", StringComparison.Ordinal) ? FindLibrary(r[4..]) is null : FindCommand(r) is null)
            .Select(r => r.StartsWith("lib:", StringComparison.Ordinal) ? r[4..] : r).ToArray();
        return missing.Length == 0
            ? null
            : $"{string.Join(", ", missing)} not found: run '{InstallLine(packages)}' (.ci/run does this when it runs as root).";
    }

    /// <summary>Throws with <paramref name="missing"/> (called by a test that runs although its component is missing: CI).</summary>
    public static void Require(string? missing)
    {
        if (missing is not null)
        {
            throw new InvalidOperationException((InCI ? "CI needs this component: " : "") + missing);
        }
    }
}

/// <summary>A fact that needs Debian packages: skipped with the install line when they are missing, except under CI.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DebianFactAttribute : FactAttribute
{
    public DebianFactAttribute(string packages, params string[] requirements)
    {
        if (!DebianComponents.InCI && DebianComponents.Missing(packages, requirements) is { } missing)
        {
            Skip = "SKIPPED (not run): " + missing;
        }
    }
}
