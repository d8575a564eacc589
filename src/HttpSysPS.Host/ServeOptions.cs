using System.Globalization;
using HttpSysPS.Engine;
using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Host;

/// <summary>
/// <c>httpsys serve</c> arguments. Consecutive <c>--url</c> options form one listener; the <c>--root</c> or
/// <c>--handler</c> after them is that listener's handler, and the next <c>--url</c> starts a new listener.
/// </summary>
internal sealed record ServeOptions(
    IReadOnlyList<ServeListener> Listeners,
    int? QueueLimit,
    long? MaxConnections,
    long? MaxBodySize,
    TimeoutLimits Timeouts,
    bool Quiet,
    string? ConfigPath)
{
    public static ServeOptions Parse(string[] args)
    {
        var listeners = new List<ServeListener>();
        var urls = new List<string>();
        string? root = null;
        string? handler = null;
        var responseCaching = true;
        int? queueLimit = null;
        long? maxConnections = null;
        long? maxBody = null;
        var timeouts = TimeoutLimits.Inherit;
        var quiet = false;
        string? configPath = null;

        void Close()
        {
            if (urls.Count == 0)
            {
                return;
            }

            if (root is null && handler is null)
            {
                throw new ArgumentException($"--url {urls[0]} has no --root or --handler after it.");
            }

            listeners.Add(new ServeListener($"listener{listeners.Count + 1}", urls.ToArray(), root, handler, responseCaching));
            urls.Clear();
            root = null;
            handler = null;
            responseCaching = true;
        }

        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--url":
                    if (root is not null || handler is not null)
                    {
                        Close();
                    }

                    urls.Add(Value());
                    break;
                case "--root":
                    root = root is null && handler is null ? Value() : throw new ArgumentException("A listener takes one --root or one --handler.");
                    break;
                case "--handler":
                    handler = root is null && handler is null ? Value() : throw new ArgumentException("A listener takes one --root or one --handler.");
                    break;
                case "--no-response-cache":
                    // Per listener, like --root/--handler: UrlGroupOptions.EnableResponseCaching = false.
                    responseCaching = urls.Count > 0 ? false : throw new ArgumentException("--no-response-cache applies to the listener of the --url before it.");
                    break;
                case "--queue-limit":
                    queueLimit = int.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--max-connections":
                    maxConnections = long.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--max-body-size":
                    maxBody = long.Parse(Value(), CultureInfo.InvariantCulture);
                    break;
                case "--timeout":
                    var (kind, seconds) = ParseTimeout(Value());
                    timeouts = timeouts.With(kind, seconds);
                    break;
                case "--config":
                    configPath = Value();
                    break;
                case "--quiet" or "-q":
                    quiet = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{args[i]}'.");
            }
        }

        if (urls.Count > 0 && root is null && handler is null)
        {
            throw new ArgumentException($"--url {urls[0]} has no --root or --handler after it.");
        }

        Close();
        if (listeners.Count == 0)
        {
            throw new ArgumentException("Give at least one --url with a --root or --handler.");
        }

        return new ServeOptions(listeners, queueLimit, maxConnections, maxBody, timeouts, quiet, configPath);
    }

    private static (TimeoutKind, long) ParseTimeout(string text)
    {
        var eq = text.IndexOf('=');
        if (eq <= 0 || !Enum.TryParse<TimeoutKind>(text[..eq], ignoreCase: true, out var kind) || !long.TryParse(text[(eq + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new ArgumentException($"--timeout '{text}' must be <name>=<number>, with name one of {string.Join(", ", Enum.GetNames<TimeoutKind>())}.");
        }

        return (kind, value);
    }

    public UrlGroupOptions ToUrlGroupOptions(ServeListener listener)
    {
        var options = new UrlGroupOptions(listener.Name, listener.Urls) { Timeouts = Timeouts, EnableResponseCaching = listener.ResponseCaching };
        options = QueueLimit is { } q ? options with { RequestQueueLimit = q } : options;
        options = MaxConnections is { } c ? options with { MaxConnections = c } : options;
        return MaxBodySize is { } b ? options with { MaxRequestBodySize = b } : options;
    }
}

/// <summary>One listener of <c>httpsys serve</c>: its URLs, its handler (a static root or an assembly:type) and whether its responses may be cached.</summary>
internal sealed record ServeListener(string Name, IReadOnlyList<string> Urls, string? Root, string? Handler, bool ResponseCaching = true);
