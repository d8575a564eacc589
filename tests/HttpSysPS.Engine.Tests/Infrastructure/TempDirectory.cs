namespace HttpSysPS.Engine.Tests.Infrastructure;

/// <summary>A fresh directory per test, removed afterwards (tests run in parallel: nothing is shared).</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("httpsysps-test-").FullName;
    }

    public string Path { get; }

    /// <summary>Writes a file below the directory (creating folders) and returns its full path.</summary>
    public string Write(string relativePath, string content)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
