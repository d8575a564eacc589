namespace HttpSysPS.Engine.Handlers;

/// <summary>Content types by file extension: a built-in table, extended from <c>/etc/mime.types</c> when present.</summary>
public sealed class MimeTypes
{
    // Declared before Default: static initialisers run in text order.
    private static readonly (string, string)[] BuiltIn =
    [
        (".html", "text/html; charset=utf-8"), (".htm", "text/html; charset=utf-8"), (".css", "text/css; charset=utf-8"),
        (".js", "text/javascript; charset=utf-8"), (".mjs", "text/javascript; charset=utf-8"), (".json", "application/json; charset=utf-8"),
        (".txt", "text/plain; charset=utf-8"), (".xml", "application/xml; charset=utf-8"), (".svg", "image/svg+xml"),
        (".png", "image/png"), (".jpg", "image/jpeg"), (".jpeg", "image/jpeg"), (".gif", "image/gif"), (".webp", "image/webp"),
        (".ico", "image/x-icon"), (".avif", "image/avif"), (".woff", "font/woff"), (".woff2", "font/woff2"), (".ttf", "font/ttf"),
        (".otf", "font/otf"), (".pdf", "application/pdf"), (".zip", "application/zip"), (".gz", "application/gzip"),
        (".wasm", "application/wasm"), (".mp4", "video/mp4"), (".webm", "video/webm"), (".mp3", "audio/mpeg"), (".wav", "audio/wav"),
        (".csv", "text/csv; charset=utf-8"), (".md", "text/markdown; charset=utf-8"), (".map", "application/json; charset=utf-8"),
        (".bin", "application/octet-stream"),
    ];

    private readonly Dictionary<string, string> _types;

    private MimeTypes(Dictionary<string, string> types) => _types = types;

    /// <summary>The built-in table plus the system's <c>/etc/mime.types</c> (built-in entries win).</summary>
    public static MimeTypes Default { get; } = Create("/etc/mime.types");

    /// <summary>Builds a table from the built-in entries and an optional mime.types file.</summary>
    public static MimeTypes Create(string? mimeTypesFile)
    {
        var types = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (mimeTypesFile is not null && File.Exists(mimeTypesFile))
        {
            foreach (var line in File.ReadLines(mimeTypesFile))
            {
                var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length < 2 || parts[0].StartsWith('#'))
                {
                    continue;
                }

                foreach (var ext in parts.Skip(1))
                {
                    types["." + ext] = parts[0];
                }
            }
        }

        foreach (var (ext, type) in BuiltIn)
        {
            types[ext] = type;
        }

        return new MimeTypes(types);
    }

    /// <summary>The content type for a path, or <c>application/octet-stream</c>.</summary>
    public string Get(string path) => _types.TryGetValue(Path.GetExtension(path), out var type) ? type : "application/octet-stream";
}
