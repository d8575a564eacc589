using System.Reflection;
using System.Runtime.Loader;

namespace HttpSysPS.Engine.Handlers;

/// <summary>
/// An isolated load context for one handler assembly: its private dependencies resolve next to it, while the
/// engine assembly itself always comes from the host, so both sides agree on <see cref="IRequestHandler"/>.
/// </summary>
internal sealed class HandlerLoadContext : AssemblyLoadContext
{
    private readonly AssemblyDependencyResolver _resolver;

    public HandlerLoadContext(string assemblyPath)
        : base($"HttpSysPS handler: {Path.GetFileName(assemblyPath)}", isCollectible: false)
    {
        _resolver = new AssemblyDependencyResolver(assemblyPath);
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name == typeof(IRequestHandler).Assembly.GetName().Name)
        {
            return null;
        }

        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
