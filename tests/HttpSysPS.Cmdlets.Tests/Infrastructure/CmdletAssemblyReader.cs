using System.Collections.ObjectModel;
using System.Reflection;
using System.Runtime.InteropServices;

namespace HttpSysPS.Cmdlets.Tests.Infrastructure;

/// <summary>
/// Reads cmdlet metadata from a built assembly with MetadataLoadContext: System.Management.Automation is resolved
/// from PowerShellStandard.Library for its metadata only and never loaded for execution (PowerShell is not
/// installable here, and the test host must not depend on it).
/// </summary>
public static class CmdletAssemblyReader
{
    private const string Sma = "System.Management.Automation.";

    private static readonly Lazy<IReadOnlyList<CmdletModel>> Module = new(() => Read(TestPaths.CmdletsDll));
    private static readonly Lazy<IReadOnlyList<CmdletModel>> Fixture = new(() => Read(TestPaths.FixtureDll));

    private static readonly Dictionary<string, string> Accelerators = new(StringComparer.Ordinal)
    {
        ["System.String"] = "string", ["System.Int32"] = "int", ["System.Int64"] = "long", ["System.Boolean"] = "bool",
        ["System.Byte"] = "byte", ["System.UInt16"] = "ushort", ["System.UInt32"] = "uint", ["System.Double"] = "double",
        ["System.Object"] = "object", ["System.Guid"] = "guid", ["System.TimeSpan"] = "timespan", ["System.Uri"] = "uri",
        ["System.Collections.Hashtable"] = "hashtable", [Sma + "SwitchParameter"] = "switch",
        [Sma + "ScriptBlock"] = "scriptblock", [Sma + "PSCredential"] = "pscredential", [Sma + "PSObject"] = "psobject",
    };

    /// <summary>The cmdlets of the staged HttpSysPS.Cmdlets.dll (read once, shared read-only).</summary>
    public static IReadOnlyList<CmdletModel> ModuleCmdlets => Module.Value;

    /// <summary>The cmdlets of the fixture assembly tests/fixtures/FixtureCmdlets.</summary>
    public static IReadOnlyList<CmdletModel> FixtureCmdlets => Fixture.Value;

    /// <summary>One cmdlet of the staged module by Verb-Noun; fails naming what exists when it is absent.</summary>
    public static CmdletModel ModuleCmdlet(string name) => Find(ModuleCmdlets, name, TestPaths.CmdletsDll);

    /// <summary>Stands in for the cmdlet list in theory data when the assembly has none, so the failure says why.</summary>
    public const string NoCmdlets = "(no cmdlets in HttpSysPS.Cmdlets.dll)";

    /// <summary>One cmdlet of the fixture assembly by Verb-Noun (or class name when it has no [Cmdlet]).</summary>
    public static CmdletModel FixtureCmdlet(string name) => Find(FixtureCmdlets, name, TestPaths.FixtureDll);

    private static CmdletModel Find(IReadOnlyList<CmdletModel> cmdlets, string name, string path) =>
        name == NoCmdlets
            ? throw new Xunit.Sdk.XunitException($"{path} contains no cmdlet classes at all, so none of its cmdlets can be checked")
            : cmdlets.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new Xunit.Sdk.XunitException($"{path} has no cmdlet {name}; it has: {string.Join(", ", cmdlets.Select(c => c.Name))}");

    /// <summary>Reads every public, non-abstract class deriving from System.Management.Automation.Cmdlet.</summary>
    public static IReadOnlyList<CmdletModel> Read(string assemblyPath)
    {
        if (!File.Exists(assemblyPath))
        {
            throw new FileNotFoundException($"{assemblyPath} does not exist: build the solution first (dotnet build stages the module).", assemblyPath);
        }

        var candidates = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
                     .Concat(Directory.GetFiles(Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!, "*.dll"))
                     .Append(TestPaths.SmaDll))
        {
            candidates.TryAdd(Path.GetFileName(path), path);
        }

        candidates[Path.GetFileName(assemblyPath)] = Path.GetFullPath(assemblyPath);
        using var context = new MetadataLoadContext(new PathAssemblyResolver(candidates.Values), "System.Private.CoreLib");
        var assembly = context.LoadFromAssemblyPath(Path.GetFullPath(assemblyPath));
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            throw new InvalidOperationException($"Cannot read the types of {assemblyPath}: {string.Join("; ", e.LoaderExceptions.Select(x => x?.Message))}", e);
        }

        return types
            .Where(t => t.IsClass && !t.IsAbstract && (t.IsPublic || t.IsNestedPublic) && DerivesFrom(t, Sma + "Cmdlet"))
            .Select(ReadCmdlet)
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
    }

    private static CmdletModel ReadCmdlet(Type type)
    {
        var cmdlet = Attributes(type.GetCustomAttributesData(), "CmdletAttribute").FirstOrDefault();
        var outputTypes = Attributes(type.GetCustomAttributesData(), "OutputTypeAttribute")
            .SelectMany(a => a.ConstructorArguments)
            .SelectMany(arg => arg.Value is ReadOnlyCollection<CustomAttributeTypedArgument> items ? items.Select(i => i.Value) : [arg.Value])
            .Select(value => value switch
            {
                Type t => new OutputTypeModel(
                    t.FullName ?? t.Name,
                    t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).Distinct().ToList(),
                    BaseTypes(t)),
                _ => new OutputTypeModel(value?.ToString() ?? string.Empty, [], []),
            })
            .ToList();

        var parameters = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(ReadParameter)
            .OfType<ParameterModel>()
            .ToList();

        return new CmdletModel(
            type.Name,
            cmdlet?.ConstructorArguments[0].Value as string,
            cmdlet?.ConstructorArguments[1].Value as string,
            Named(cmdlet, "SupportsShouldProcess", false),
            Named(cmdlet, "ConfirmImpact", 2),
            Named<string?>(cmdlet, "DefaultParameterSetName", null),
            outputTypes,
            parameters);
    }

    private static ParameterModel? ReadParameter(PropertyInfo property)
    {
        var data = property.GetCustomAttributesData();
        var parameterAttributes = Attributes(data, "ParameterAttribute").ToList();
        if (parameterAttributes.Count == 0)
        {
            return null;
        }

        var aliases = Attributes(data, "AliasAttribute")
            .SelectMany(a => a.ConstructorArguments)
            .SelectMany(arg => arg.Value is ReadOnlyCollection<CustomAttributeTypedArgument> items ? items.Select(i => (string)i.Value!) : [(string)arg.Value!])
            .ToList();
        var attributes = parameterAttributes
            .Select(a =>
            {
                var position = Named(a, "Position", int.MinValue);
                return new ParameterAttributeModel(
                    Named(a, "ParameterSetName", CmdletModel.AllSets),
                    Named(a, "Mandatory", false),
                    position == int.MinValue ? null : position,
                    Named(a, "ValueFromPipeline", false),
                    Named(a, "ValueFromPipelineByPropertyName", false));
            })
            .ToList();
        var type = property.PropertyType;
        return new ParameterModel(property.Name, type.FullName ?? type.Name, DocTypeNames(type).Distinct().ToList(), aliases, attributes);
    }

    /// <summary>How platyPS (type name), a reader (full name) or PowerShell (accelerator) may spell a type.</summary>
    private static IEnumerable<string> DocTypeNames(Type type)
    {
        if (type.IsArray)
        {
            return DocTypeNames(type.GetElementType()!).Select(n => n + "[]");
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1")
        {
            var inner = type.GetGenericArguments()[0];
            return DocTypeNames(inner).Concat([$"Nullable`1[{inner.Name}]", $"Nullable`1[{inner.FullName}]", $"System.Nullable`1[{inner.FullName}]"]);
        }

        var names = new List<string> { type.Name };
        if (type.FullName is { } full)
        {
            names.Add(full);
            if (Accelerators.TryGetValue(full, out var accelerator))
            {
                names.Add(accelerator);
            }
        }

        return names;
    }

    private static List<string> BaseTypes(Type type)
    {
        var result = new List<string>();
        for (var t = type; t is not null; t = t.BaseType)
        {
            result.Add(t.FullName ?? t.Name);
        }

        result.AddRange(type.GetInterfaces().Select(i => i.FullName ?? i.Name));
        return result;
    }

    private static bool DerivesFrom(Type type, string baseFullName)
    {
        for (var t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.FullName == baseFullName)
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<CustomAttributeData> Attributes(IEnumerable<CustomAttributeData> data, string name) =>
        data.Where(a => a.AttributeType.FullName == Sma + name);

    private static T Named<T>(CustomAttributeData? attribute, string name, T fallback)
    {
        foreach (var argument in attribute?.NamedArguments ?? [])
        {
            if (argument.MemberName == name && argument.TypedValue.Value is T value)
            {
                return value;
            }
        }

        return fallback;
    }
}
