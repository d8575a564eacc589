using System.Globalization;
using HttpSysPS.Engine.Hosting;

namespace HttpSysPS.Host;

/// <summary>
/// <c>httpsys serve</c> arguments. Consecutive <c>--url</c> options form one listener; the <c>--root</c> or
/// <c>--handler</c> after them is that listener's handler, and the next <c>--url</c> starts a new listener.
/// Values stay as given here; <see cref="ToListenerSettings"/> hands them to <see cref="ListenerSettings"/>, the one
/// mapping onto the engine's options that New-HttpSysListener uses too (ranges, -1 = unlimited, timer names).
/// </summary>
internal sealed record ServeOptions(
    IReadOnlyList<ServeListener> Listeners,
    int? QueueLimit,
    long? MaxConnections,
    long? MaxBodySize,
    IReadOnlyDictionary<string, long> Timeouts,
    bool Quiet,
    string? ConfigPath,
    bool CommandConsole,
    string? LogDirectory = null,
    string? LogRollover = null,
    string? LogFields = null)
{
    public static ServeOptions Parse(string[] args)
    {
        var listeners = new List<ServeListener>();
        var urls = new List<string>();
        string? root = null;
        string? handler = null;
        var responseCaching = true;
        var synchronousIO = false;
        ServeAuthentication? authentication = null;
        int? queueLimit = null;
        long? maxConnections = null;
        long? maxBody = null;
        var timeouts = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        var quiet = false;
        string? configPath = null;
        string? logDirectory = null;
        string? logRollover = null;
        string? logFields = null;
        var commandConsole = false;

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

            if (authentication is { Schemes: null })
            {
                throw new ArgumentException("--realm, --no-anonymous, --allow-basic-over-http, --pam-service and --kerberos-credential-caching need --auth.");
            }

            listeners.Add(new ServeListener($"listener{listeners.Count + 1}", urls.ToArray(), root, handler, responseCaching, synchronousIO, authentication));
            urls.Clear();
            root = null;
            handler = null;
            authentication = null;
            responseCaching = true;
            synchronousIO = false;
        }

        ServeAuthentication ForListener(string option) =>
            urls.Count > 0 ? authentication ?? new ServeAuthentication(null) : throw new ArgumentException($"{option} applies to the listener of the --url before it.");

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
                case "--allow-synchronous-io":
                    // Per listener: UrlGroupOptions.AllowSynchronousIO, for a --handler that uses Stream.Read/Write/Flush.
                    synchronousIO = urls.Count > 0 ? true : throw new ArgumentException("--allow-synchronous-io applies to the listener of the --url before it.");
                    break;
                case "--auth":
                    // Per listener: UrlGroupOptions.Authentication (negotiate,kerberos,ntlm,basic).
                    authentication = ForListener(args[i]) with { Schemes = ListenerSettings.ParseSchemes(Value()) };
                    break;
                case "--realm":
                    authentication = ForListener(args[i]) with { Realm = Value() };
                    break;
                case "--no-anonymous":
                    authentication = ForListener(args[i]) with { AllowAnonymous = false };
                    break;
                case "--allow-basic-over-http":
                    authentication = ForListener(args[i]) with { AllowBasicOverHttp = true };
                    break;
                case "--kerberos-credential-caching":
                    authentication = ForListener(args[i]) with { KerberosCredentialCaching = true };
                    break;
                case "--pam-service":
                    authentication = ForListener(args[i]) with { PamServiceName = Value() };
                    break;
                case "--queue-limit":
                    queueLimit = (int)Number(args[i], Value(), int.MinValue, int.MaxValue);
                    break;
                case "--max-connections":
                    maxConnections = Number(args[i], Value(), long.MinValue, long.MaxValue);
                    break;
                case "--max-body-size":
                    maxBody = Number(args[i], Value(), long.MinValue, long.MaxValue);
                    break;
                case "--timeout":
                    var (name, value) = ParseTimeout(Value());
                    timeouts[name] = value; // the last one given wins
                    break;
                case "--config":
                    configPath = Value();
                    break;
                case "--quiet" or "-q":
                    quiet = true;
                    break;
                case "--log-dir":
                    logDirectory = Path.GetFullPath(Value());
                    break;
                case "--log-rollover":
                    logRollover = Value();
                    break;
                case "--log-fields":
                    logFields = Value();
                    break;
                case "--console":
                    // Reads show cachestate / delete cache from stdin (ServeConsole): opt-in, since reading a terminal
                    // from a background job would stop the process (SIGTTIN).
                    commandConsole = true;
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

        if (logDirectory is null && (logRollover is not null || logFields is not null))
        {
            throw new ArgumentException("--log-rollover and --log-fields need --log-dir.");
        }

        return new ServeOptions(listeners, queueLimit, maxConnections, maxBody, timeouts, quiet, configPath, commandConsole, logDirectory, logRollover, logFields);
    }

    /// <summary>Server-wide MaxConnections (HttpServerOptions): the same number as each listener's, -1 = unlimited.</summary>
    public long? ServerMaxConnections => MaxConnections == ListenerSettings.Unlimited ? null : MaxConnections;

    /// <summary>The listener as the engine's hosting layer describes it; its ToUrlGroupOptions checks every range.</summary>
    public ListenerSettings ToListenerSettings(ServeListener listener) => new(listener.Name, listener.Urls)
    {
        RequestQueueLimit = QueueLimit,
        MaxConnections = MaxConnections,
        MaxRequestBodySize = MaxBodySize,
        Timeouts = new Dictionary<string, long>(Timeouts, StringComparer.OrdinalIgnoreCase),
        EnableResponseCaching = listener.ResponseCaching,
        AllowSynchronousIO = listener.AllowSynchronousIO,
        AuthenticationSchemes = listener.Authentication?.Schemes,
        Realm = listener.Authentication?.Realm,
        AllowAnonymous = listener.Authentication?.AllowAnonymous,
        AllowBasicOverHttp = listener.Authentication?.AllowBasicOverHttp,
        PamServiceName = listener.Authentication?.PamServiceName,
        EnableKerberosCredentialCaching = listener.Authentication?.KerberosCredentialCaching,

        // --log-dir D: each listener's access log in D/<listener>/, httperr in D itself (ErrorLogDirectory).
        LogDirectory = LogDirectory is null ? null : Path.Combine(LogDirectory, listener.Name),
        LogRollover = LogRollover,
        LogFields = LogFields,
    };

    /// <summary>
    /// Where httperr goes: --log-dir when given, else the default place — <c>/var/log/httpsys</c> for root,
    /// <c>$XDG_STATE_HOME/httpsys</c> (or <c>~/.local/state/httpsys</c>) for anyone else.
    /// </summary>
    public string ErrorLogDirectory => LogDirectory ?? DefaultErrorLogDirectory();

    private static string DefaultErrorLogDirectory()
    {
        if (Environment.UserName == "root")
        {
            return "/var/log/httpsys";
        }

        var state = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        return Path.Combine(string.IsNullOrEmpty(state) ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state") : state, "httpsys");
    }

    /// <summary>
    /// <c>name=number</c> with a timer name: only the six HTTP.sys names (ListenerSettings decides), never a number
    /// (Enum.TryParse would take "3" for IdleConnection). The value's range is checked by the mapping.
    /// </summary>
    private static (string Name, long Value) ParseTimeout(string text)
    {
        var eq = text.IndexOf('=');
        if (eq <= 0 || !ListenerSettings.TryParseTimerName(text[..eq], out _) || !long.TryParse(text[(eq + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new ArgumentException($"--timeout '{text}' must be <name>=<number>, with name one of {string.Join(", ", Enum.GetNames<HttpSysPS.Engine.Configuration.TimeoutKind>())}.");
        }

        return (text[..eq], value);
    }

    private static long Number(string option, string text, long minimum, long maximum) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum
            ? value
            : throw new ArgumentException($"{option} takes a whole number; got '{text}'.");
}

/// <summary>
/// One listener of <c>httpsys serve</c>: its URLs, its handler (a static root or an assembly:type), whether its responses
/// may be cached and whether its handler may use synchronous body I/O.
/// </summary>
internal sealed record ServeListener(string Name, IReadOnlyList<string> Urls, string? Root, string? Handler, bool ResponseCaching = true, bool AllowSynchronousIO = false,
    ServeAuthentication? Authentication = null);

/// <summary>A listener's <c>--auth</c>, <c>--realm</c>, <c>--no-anonymous</c>, <c>--allow-basic-over-http</c>, <c>--pam-service</c>.</summary>
internal sealed record ServeAuthentication(HttpSysPS.Engine.Authentication.AuthenticationSchemes? Schemes, string? Realm = null, bool? AllowAnonymous = null,
    bool? AllowBasicOverHttp = null, string? PamServiceName = null, bool? KerberosCredentialCaching = null);
