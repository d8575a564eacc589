using System.Runtime.InteropServices;

namespace HttpSysPS.Engine.Tests.Infrastructure;

/// <summary>
/// Sets environment variables where native libraries see them. On Unix, <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// changes only .NET's own copy; libkrb5 and GSSAPI read the C environment (getenv) when they create a context, so the
/// KDC tests set both. Process-wide: only fixtures of the non-parallel GSSAPI collection call it, while no other test runs.
/// </summary>
internal static class NativeEnvironment
{
    public static void Set(string name, string? value)
    {
        Environment.SetEnvironmentVariable(name, value);
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if ((value is null ? unsetenv(name) : setenv(name, value, 1)) != 0)
        {
            throw new InvalidOperationException($"setenv({name}) failed: errno {Marshal.GetLastPInvokeError()}.");
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv(string name, string value, int overwrite);

    [DllImport("libc", SetLastError = true)]
    private static extern int unsetenv(string name);
}
