namespace HttpSysPS.Engine.Handlers;

/// <summary>Loads an <see cref="IRequestHandler"/> from an assembly path and type name, in its own load context.</summary>
public static class HandlerLoader
{
    /// <summary>Parses <c>path/to/assembly.dll:Namespace.Type</c> (the last ':' separates; Windows drive letters are kept).</summary>
    public static (string AssemblyPath, string TypeName) ParseSpec(string spec)
    {
        var colon = spec.LastIndexOf(':');
        if (colon <= 1 || colon == spec.Length - 1)
        {
            throw new HttpSysException(HttpSysErrorReason.InvalidArgument, $"Handler '{spec}' must be written as <assembly.dll>:<Namespace.Type>.");
        }

        return (spec[..colon], spec[(colon + 1)..]);
    }

    /// <summary>Creates the handler; its type needs a public parameterless constructor.</summary>
    public static IRequestHandler Load(string assemblyPath, string typeName)
    {
        var full = Path.GetFullPath(assemblyPath);
        if (!File.Exists(full))
        {
            throw new HttpSysException(HttpSysErrorReason.HandlerLoadFailed, $"The handler assembly '{full}' does not exist.");
        }

        try
        {
            var context = new HandlerLoadContext(full);
            var assembly = context.LoadFromAssemblyPath(full);
            var type = assembly.GetType(typeName, throwOnError: false, ignoreCase: false)
                ?? throw new HttpSysException(HttpSysErrorReason.HandlerLoadFailed, $"The type '{typeName}' was not found in '{full}'.");
            if (!typeof(IRequestHandler).IsAssignableFrom(type))
            {
                throw new HttpSysException(HttpSysErrorReason.HandlerLoadFailed,
                    $"The type '{typeName}' does not implement {typeof(IRequestHandler).FullName} (from {typeof(IRequestHandler).Assembly.GetName().Name}).");
            }

            return (IRequestHandler)(Activator.CreateInstance(type)
                ?? throw new HttpSysException(HttpSysErrorReason.HandlerLoadFailed, $"The type '{typeName}' could not be created."));
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or MissingMethodException or TypeLoadException or System.Reflection.TargetInvocationException)
        {
            throw new HttpSysException(HttpSysErrorReason.HandlerLoadFailed, $"The handler '{typeName}' could not be loaded from '{full}': {e.Message}", e);
        }
    }
}
