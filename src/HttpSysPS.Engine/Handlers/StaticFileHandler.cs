namespace HttpSysPS.Engine.Handlers;

/// <summary>
/// Serves files below a root directory: GET and HEAD, content types, <c>index.html</c> for directories, 404 for
/// anything else. No request path ever leaves the root: the cooked path already has dot segments resolved and
/// backslashes turned into slashes; what remains is checked again after joining, NUL and drive/stream syntax are
/// refused, hidden files are not served, and symbolic links are resolved and must stay inside the root.
/// </summary>
public sealed class StaticFileHandler : IRequestHandler
{
    private readonly string _root;
    private readonly MimeTypes _mimeTypes;

    /// <summary>Serves <paramref name="rootDirectory"/> (must exist).</summary>
    public StaticFileHandler(string rootDirectory, MimeTypes? mimeTypes = null)
    {
        var full = Path.GetFullPath(rootDirectory);
        if (!Directory.Exists(full))
        {
            throw new HttpSysException(HttpSysErrorReason.NotFound, $"The static root directory '{full}' does not exist.");
        }

        // Resolve a symlinked root once, so containment checks compare real paths.
        _root = Path.TrimEndingDirectorySeparator(new DirectoryInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full);
        _mimeTypes = mimeTypes ?? MimeTypes.Default;
    }

    /// <summary>The resolved root directory.</summary>
    public string Root => _root;

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

        var file = Resolve(request.RelativePath);
        if (file is null)
        {
            response.StatusCode = 404;
            return;
        }

        response.ContentType = _mimeTypes.Get(file.FullName);
        response.ContentLength = file.Length;
        response.Headers["Last-Modified"] = file.LastWriteTimeUtc.ToString("r", System.Globalization.CultureInfo.InvariantCulture);
        await response.SendFileAsync(file.FullName, 0, file.Length, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Maps a decoded relative path to a file inside the root, or null.</summary>
    internal FileInfo? Resolve(string relativePath)
    {
        if (relativePath.Contains('\0') || relativePath.Contains('\\') || relativePath.Contains(':'))
        {
            return null;
        }

        var segments = relativePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var segment in segments)
        {
            // Dot segments were resolved by the canonicaliser; any left are hostile. Hidden files are not served.
            if (segment.StartsWith('.'))
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
            candidate = Path.Combine(candidate, "index.html");
        }

        var info = new FileInfo(candidate);
        if (!info.Exists || !IsInsideRoot(RealPath(info)))
        {
            return null;
        }

        return info;
    }

    private bool IsInsideRoot(string path) =>
        path.Equals(_root, StringComparison.Ordinal) || path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private string RealPath(FileInfo file)
    {
        // Follow links at every level below the root: a linked directory or file may point outside.
        var relative = Path.GetRelativePath(_root, file.FullName);
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
