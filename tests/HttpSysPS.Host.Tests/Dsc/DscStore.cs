namespace HttpSysPS.Host.Tests.Dsc;

/// <summary>A temporary store for one test, and its bytes (to prove a failed or idempotent operation wrote nothing).</summary>
internal sealed class DscStore : IDisposable
{
    private readonly TempDirectory _directory = new();

    public string Path => _directory.File("config.json");

    public TempDirectory Directory => _directory;

    public byte[] Bytes => File.Exists(Path) ? File.ReadAllBytes(Path) : [];

    public void Dispose() => _directory.Dispose();
}
