namespace HttpSysPS.Engine.Handlers;

/// <summary>Settings of a <see cref="StaticFileHandler"/>. Immutable; validated when set.</summary>
public sealed record StaticFileOptions
{
    private readonly IReadOnlyList<string> _defaultDocuments = ["index.html", "index.htm"];
    private readonly string? _cacheControl;

    /// <summary>
    /// Files served for a directory URL, first existing one wins. Default <c>index.html</c>, <c>index.htm</c> (our
    /// choice: HTTP.sys serves no files; IIS's list starts with Default.htm, nginx's is index.html).
    /// </summary>
    public IReadOnlyList<string> DefaultDocuments
    {
        get => _defaultDocuments;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            foreach (var name in value)
            {
                if (string.IsNullOrEmpty(name) || name.AsSpan().IndexOfAny('/', '\\', '\0') >= 0 || name is "." or "..")
                {
                    throw new ArgumentOutOfRangeException(nameof(DefaultDocuments), name, "A default document must be a plain file name (no '/', '\\' or NUL).");
                }
            }

            _defaultDocuments = value.ToArray();
        }
    }

    /// <summary>Serve files and directories whose name starts with '.' (default false: <c>.git</c>, <c>.env</c> stay private).</summary>
    public bool ServeHiddenFiles { get; init; }

    /// <summary>
    /// Serve a precompressed sibling (<c>file.br</c>, then <c>file.gz</c>) with Content-Encoding when the client's
    /// Accept-Encoding allows it. Default true: it only changes anything when such siblings exist.
    /// </summary>
    public bool ServePrecompressed { get; init; } = true;

    /// <summary>
    /// A Cache-Control value for every file response (e.g. <c>public, max-age=300</c>, which also makes small files
    /// eligible for the server's response cache). Default null: no Cache-Control.
    /// </summary>
    public string? CacheControl
    {
        get => _cacheControl;
        init => _cacheControl = value is not null && value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0
            ? throw new ArgumentOutOfRangeException(nameof(CacheControl), "CacheControl must not contain CR, LF or NUL.")
            : value;
    }

    /// <summary>The extension → Content-Type table; null = <see cref="MimeTypes.Default"/>.</summary>
    public MimeTypes? MimeTypes { get; init; }
}
