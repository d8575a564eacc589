using System.Reflection;

namespace HttpSysPS.Engine.Tests.Infrastructure;

/// <summary>Paths of the sample handler and the httpsys host as this test project's build produced them (see the csproj).</summary>
internal static class BuildOutputs
{
    public static string HelloHandlerAssembly => Get("HelloHandlerAssembly");

    public static string HostAssembly => Get("HostAssembly");

    /// <summary>The dotnet host running this test, to start the httpsys host with the same runtime.</summary>
    public static string DotnetHost
    {
        get
        {
            if (Environment.ProcessPath is { } process && Path.GetFileNameWithoutExtension(process) == "dotnet")
            {
                return process;
            }

            // <root>/shared/Microsoft.NETCore.App/<version>/ → <root>/dotnet
            var runtime = System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory();
            var root = Path.GetFullPath(Path.Combine(runtime, "..", "..", ".."));
            var candidate = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
            return File.Exists(candidate) ? candidate : "dotnet";
        }
    }

    private static string Get(string key)
    {
        var value = typeof(BuildOutputs).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
        return Path.GetFullPath(value);
    }
}
