using HttpSysPS.Engine.Handlers;
using HttpSysPS.Engine.Tests.Caching;

namespace HttpSysPS.Engine.Tests.StaticFiles;

/// <summary>A read-only site in its own temp directory, served by one server for one test class.</summary>
public sealed class StaticSite : IAsyncLifetime
{
    public const int DataLength = 1000;

    private readonly TempDir _dir = new();
    private TestHost? _host;

    public string Root => _dir.Path;

    internal TestHost Host => _host!;

    /// <summary>Byte i of data.bin.</summary>
    public static byte DataByte(long i) => (byte)(i % 251);

    public async Task InitializeAsync()
    {
        var data = new byte[DataLength];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = DataByte(i);
        }

        File.WriteAllBytes(Path.Combine(Root, "data.bin"), data);
        var big = new byte[256 * 1024];
        new Random(7).NextBytes(big);
        File.WriteAllBytes(Path.Combine(Root, "big.bin"), big);
        File.WriteAllBytes(Path.Combine(Root, "empty.txt"), []);
        _dir.File("page.html", "<p>page</p>");
        _dir.File("dir/index.html", "dir index");
        _dir.File("docs/index.htm", "docs index");
        _dir.File("nodefault/other.txt", "x");
        _dir.File(".env", "SECRET=1");
        _dir.File(".git/config", "[core]");
        _dir.File("dir/.hidden", "hidden");
        _dir.File("app.js", "console.log('identity');");
        _dir.File("app.js.br", "BROTLI-BYTES");
        _dir.File("app.js.gz", "GZIP-BYTES");
        _dir.File("style.css", "body{}");
        _dir.File("style.css.gz", "GZ-CSS");
        _dir.File("notes.unknownext", "?");
        File.CreateSymbolicLink(Path.Combine(Root, "inside-link.bin"), Path.Combine(Root, "data.bin"));
        var outside = Path.Combine(Path.GetTempPath(), "httpsysps-outside-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outside);
        File.WriteAllText(Path.Combine(outside, "secret.txt"), "outside");
        File.CreateSymbolicLink(Path.Combine(Root, "outside-link.txt"), Path.Combine(outside, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(Root, "outside-dir"), outside);
        OutsideDir = outside;

        // A fixed, whole-second modification time, so date validators are exact.
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
        {
            if (new FileInfo(file).LinkTarget is null)
            {
                File.SetLastWriteTimeUtc(file, LastModified.UtcDateTime);
            }
        }

        _host = await TestHost.StartAsync(new StaticFileHandler(Root));
    }

    public static DateTimeOffset LastModified { get; } = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

    public string? OutsideDir { get; private set; }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        _dir.Dispose();
        if (OutsideDir is not null)
        {
            Directory.Delete(OutsideDir, recursive: true);
        }
    }
}
