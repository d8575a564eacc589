using System.Globalization;

namespace HttpSysPS.Engine.Handlers;

/// <summary>
/// Serves files below a root directory: GET and HEAD, content types, default documents for directories, validators
/// (ETag, Last-Modified) with conditional requests (304/412), byte ranges (206/416, <c>multipart/byteranges</c>),
/// and optional precompressed siblings. File bytes go out with <see cref="Response.SendFileAsync"/>: sendfile on
/// plain connections, pooled copies under TLS.
/// </summary>
/// <remarks>
/// No request path ever leaves the root: the cooked path already has dot segments resolved and backslashes turned
/// into slashes; what remains is checked again after joining, NUL and drive/stream syntax are refused, hidden files
/// are not served unless enabled, and symbolic links are resolved and must stay inside the root.
/// </remarks>
public sealed class StaticFileHandler : IRequestHandler
{
    private readonly string _root;
    private readonly MimeTypes _mimeTypes;

    /// <summary>Serves <paramref name="rootDirectory"/> (must exist) with default options.</summary>
    public StaticFileHandler(string rootDirectory, MimeTypes? mimeTypes = null)
        : this(rootDirectory, new StaticFileOptions { MimeTypes = mimeTypes })
    {
    }

    /// <summary>Serves <paramref name="rootDirectory"/> (must exist).</summary>
    public StaticFileHandler(string rootDirectory, StaticFileOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var full = Path.GetFullPath(rootDirectory);
        if (!Directory.Exists(full))
        {
            throw new HttpSysException(HttpSysErrorReason.NotFound, $"The static root directory '{full}' does not exist.");
        }

        // Resolve a symlinked root once, so containment checks compare real paths.
        _root = Path.TrimEndingDirectorySeparator(new DirectoryInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full);
        Options = options;
        _mimeTypes = options.MimeTypes ?? MimeTypes.Default;
    }

    /// <summary>The resolved root directory.</summary>
    public string Root => _root;

    /// <summary>The settings.</summary>
    public StaticFileOptions Options { get; }

    public async ValueTask HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var response = context.Response;
        if (request.Method is not ("GET" or "HEAD"))
        {
            response.StatusCode = 405;
            response.Headers["Allow"] = "GET, HEAD";
            return;
        }

        var file = Resolve(request.RelativePath, out var isDirectory);
        if (file is null)
        {
            if (isDirectory)
            {
                RedirectToDirectory(request, response);
                return;
            }

            response.StatusCode = 404;
            return;
        }

        var contentType = _mimeTypes.Get(file.FullName);
        var (sendFile, encoding, hasSiblings) = SelectRepresentation(request, file);
        var length = sendFile.Length;
        var lastModified = HttpDate.TruncateToSeconds(sendFile.LastWriteTimeUtc);
        var etag = ETagFor(sendFile, encoding);

        var headers = response.Headers;
        headers["Last-Modified"] = HttpDate.Format(lastModified);
        headers["ETag"] = etag.ToString();
        if (Options.CacheControl is { } cacheControl)
        {
            headers["Cache-Control"] = cacheControl;
        }

        if (hasSiblings)
        {
            headers["Vary"] = "Accept-Encoding";
        }

        switch (PreconditionEvaluator.Evaluate(request.Headers, request.Method, etag, lastModified))
        {
            case PreconditionResult.NotModified:
                response.StatusCode = 304;
                return;
            case PreconditionResult.PreconditionFailed:
                response.StatusCode = 412;
                return;
        }

        headers["Accept-Ranges"] = "bytes";
        if (encoding is not null)
        {
            headers["Content-Encoding"] = encoding;
        }

        // RFC 9110 §14.2: Range is defined for GET only; HEAD gets the 200 headers.
        var rangeHeader = request.Method == "GET" ? request.Headers.Get("Range") : null;
        if (rangeHeader is not null && PreconditionEvaluator.IfRangeAllowsRange(request.Headers.Get("If-Range"), etag, lastModified))
        {
            var ranges = new List<ByteRange>();
            switch (ByteRangeParser.Parse(rangeHeader, length, ranges))
            {
                case RangeOutcome.Unsatisfiable:
                    response.StatusCode = 416;
                    headers["Content-Range"] = "bytes */" + length.ToString(CultureInfo.InvariantCulture);
                    return;
                case RangeOutcome.Satisfiable when ranges.Count == 1:
                    response.StatusCode = 206;
                    response.ContentType = contentType;
                    headers["Content-Range"] = ranges[0].ToContentRange(length);
                    response.ContentLength = ranges[0].Length;
                    await response.SendFileAsync(sendFile.FullName, ranges[0].Start, ranges[0].Length, cancellationToken).ConfigureAwait(false);
                    return;
                case RangeOutcome.Satisfiable:
                    var multipart = new MultipartByteRanges(contentType, ranges, length);
                    response.StatusCode = 206;
                    response.ContentType = multipart.ContentType;
                    response.ContentLength = multipart.ContentLength;
                    await multipart.WriteAsync(response, sendFile.FullName, cancellationToken).ConfigureAwait(false);
                    return;
            }
        }

        response.ContentType = contentType;
        response.ContentLength = length;
        await response.SendFileAsync(sendFile.FullName, 0, length, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The strong validator of a file: last-write time (100 ns ticks) and length, as nginx and Kestrel derive theirs.
    /// A precompressed representation gets its own tag (RFC 9110 §8.8.3: different content codings are different representations).
    /// </summary>
    internal static EntityTag ETagFor(FileInfo file, string? encoding)
    {
        var tag = file.LastWriteTimeUtc.Ticks.ToString("x", CultureInfo.InvariantCulture) + "-" + file.Length.ToString("x", CultureInfo.InvariantCulture);
        return new EntityTag(encoding is null ? tag : tag + "-" + encoding);
    }

    /// <summary>Maps a decoded relative path to a file inside the root, or null (<paramref name="isDirectory"/>: a directory URL without its trailing slash).</summary>
    internal FileInfo? Resolve(string relativePath, out bool isDirectory)
    {
        isDirectory = false;
        if (relativePath.Contains('\0') || relativePath.Contains('\\') || relativePath.Contains(':'))
        {
            return null;
        }

        var segments = relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var segment in segments)
        {
            // Dot segments were resolved by the canonicaliser; any left are hostile. Hidden files are private by default.
            if (segment is "." or ".." || (segment.StartsWith('.') && !Options.ServeHiddenFiles))
            {
                return null;
            }
        }

        var candidate = Path.GetFullPath(Path.Combine([_root, .. segments]));
        if (!IsInsideRoot(candidate))
        {
            return null;
        }

        if (Directory.Exists(candidate))
        {
            if (!relativePath.EndsWith('/'))
            {
                // Relative links in the default document only work below "dir/": redirect first, as IIS, nginx and Kestrel do.
                isDirectory = IsInsideRoot(RealPath(candidate));
                return null;
            }

            foreach (var document in Options.DefaultDocuments)
            {
                if (ExistingFileInsideRoot(Path.Combine(candidate, document)) is { } found)
                {
                    return found;
                }
            }

            return null;
        }

        return ExistingFileInsideRoot(candidate);
    }

    /// <summary>Maps a decoded relative path to a file inside the root, or null.</summary>
    internal FileInfo? Resolve(string relativePath) => Resolve(relativePath, out _);

    private static void RedirectToDirectory(Request request, Response response)
    {
        response.StatusCode = 301;
        response.Headers["Location"] = request.RawPath + "/" + request.QueryString;
    }

    private (FileInfo File, string? Encoding, bool HasSiblings) SelectRepresentation(Request request, FileInfo file)
    {
        if (!Options.ServePrecompressed || request.Headers.Get("Accept-Encoding") is not { } acceptEncoding)
        {
            return (file, null, false);
        }

        // Only look for siblings when the client takes an encoding: no extra stat calls for clients that do not.
        var br = AcceptsEncoding(acceptEncoding, "br") ? ExistingFileInsideRoot(file.FullName + ".br") : null;
        if (br is not null)
        {
            return (br, "br", true);
        }

        var gz = AcceptsEncoding(acceptEncoding, "gzip") ? ExistingFileInsideRoot(file.FullName + ".gz") : null;
        if (gz is not null)
        {
            return (gz, "gzip", true);
        }

        // Either sibling existing changes what another client would get: say so to caches (RFC 9110 §12.5.5).
        var hasSiblings = File.Exists(file.FullName + ".br") || File.Exists(file.FullName + ".gz");
        return (file, null, hasSiblings);
    }

    /// <summary>Accept-Encoding (RFC 9110 §12.5.3): the coding, or <c>*</c>, listed with a q-value above 0.</summary>
    internal static bool AcceptsEncoding(string acceptEncoding, string coding)
    {
        var wildcard = false;
        foreach (var item in acceptEncoding.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = item.Split(';', StringSplitOptions.TrimEntries);
            var q = 1.0;
            foreach (var parameter in parts.AsSpan(1))
            {
                if (parameter.StartsWith("q=", StringComparison.OrdinalIgnoreCase) &&
                    !double.TryParse(parameter.AsSpan(2), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out q))
                {
                    q = 0;
                }
            }

            if (parts[0].Equals(coding, StringComparison.OrdinalIgnoreCase))
            {
                return q > 0; // an explicit entry wins over "*"
            }

            wildcard |= parts[0] == "*" && q > 0;
        }

        return wildcard;
    }

    private FileInfo? ExistingFileInsideRoot(string path)
    {
        var info = new FileInfo(path);
        return info.Exists && IsInsideRoot(RealPath(info.FullName)) ? info : null;
    }

    private bool IsInsideRoot(string path) =>
        path.Equals(_root, StringComparison.Ordinal) || path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private string RealPath(string path)
    {
        // Follow links at every level below the root: a linked directory or file may point outside.
        var relative = Path.GetRelativePath(_root, path);
        if (relative == ".")
        {
            return _root;
        }

        var current = _root;
        foreach (var part in relative.Split(Path.DirectorySeparatorChar))
        {
            current = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(current) ? new DirectoryInfo(current) : new FileInfo(current);
            if (info.LinkTarget is not null)
            {
                var target = info.ResolveLinkTarget(returnFinalTarget: true);
                if (target is null)
                {
                    return string.Empty;
                }

                current = target.FullName;
            }
        }

        return current;
    }
}
