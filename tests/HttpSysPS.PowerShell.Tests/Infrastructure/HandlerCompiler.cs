using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace HttpSysPS.PowerShell.Tests.Infrastructure;

/// <summary>
/// Compiles a small compiled handler (an <c>IRequestHandler</c> against the staged HttpSysPS.Engine) with Roslyn, for
/// tests that need a handler to behave in a particular way (wait in its constructor, hang until aborted). Such a
/// handler meets the test through <see cref="AppDomain.GetData"/>: the test stores its signals under a unique key.
/// </summary>
public static class HandlerCompiler
{
    /// <summary>Compiles <paramref name="source"/> into <paramref name="dir"/>/<paramref name="assemblyName"/>.dll and returns its path.</summary>
    public static string Compile(string dir, string assemblyName, string source)
    {
        var engine = Path.Combine(Path.GetDirectoryName(TestPaths.ModuleManifest)!, "HttpSysPS.Engine.dll");
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) == "netstandard.dll")
            .Append(engine)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create(
            assemblyName,
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var path = Path.Combine(dir, assemblyName + ".dll");
        var emitted = compilation.Emit(path);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));
        return path;
    }
}
