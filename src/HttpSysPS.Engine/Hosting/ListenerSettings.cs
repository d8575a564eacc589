using System.Collections;
using System.Globalization;
using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Engine.Hosting;

/// <summary>
/// A listener as a user describes it (the <c>New-HttpSysListener</c> parameters apart from the handler), in plain
/// values: unset settings are null and keep the engine's defaults. <see cref="ToUrlGroupOptions"/> maps it onto the
/// validated <see cref="UrlGroupOptions"/>, so every range check has one home.
/// </summary>
/// <param name="Name">The listener's name (unique per server).</param>
/// <param name="UrlPrefixes">The URL prefixes as given, e.g. <c>http://localhost:0/api/</c>.</param>
public sealed record ListenerSettings(string Name, IReadOnlyList<string> UrlPrefixes)
{
    /// <summary>The value of <see cref="MaxConnections"/> and <see cref="MaxRequestBodySize"/> that means "unlimited" (ASP.NET HttpSys's -1 for MaxConnections).</summary>
    public const long Unlimited = -1;

    /// <summary>The request queue's name; null = the listener's name.</summary>
    public string? RequestQueueName { get; init; }

    /// <summary>Requests that may wait in the queue; null = HTTP.sys default 1000.</summary>
    public int? RequestQueueLimit { get; init; }

    /// <summary>Connections served at once; null or <see cref="Unlimited"/> = unlimited.</summary>
    public long? MaxConnections { get; init; }

    /// <summary>Largest request body in bytes; null = 30,000,000 (ASP.NET HttpSys default), <see cref="Unlimited"/> = unlimited.</summary>
    public long? MaxRequestBodySize { get; init; }

    /// <summary>Requests in the handler at once (the rest wait in the bounded queue); null = the engine default (32 per CPU).</summary>
    public int? MaxConcurrentRequests { get; init; }

    /// <summary>Serve cacheable responses from the response cache; null = the engine default (true, as ASP.NET HttpSys).</summary>
    public bool? EnableResponseCaching { get; init; }

    /// <summary>Allow synchronous body Read/Write/Flush (<see cref="UrlGroupOptions.AllowSynchronousIO"/>); null = the engine default (false).</summary>
    public bool? AllowSynchronousIO { get; init; }

    /// <summary>The schemes the server authenticates (<see cref="Authentication.AuthenticationOptions.Schemes"/>); null = none.</summary>
    public Authentication.AuthenticationSchemes? AuthenticationSchemes { get; init; }

    /// <summary>The Basic realm; null = the request's Host.</summary>
    public string? Realm { get; init; }

    /// <summary>Whether requests without credentials reach the handler; null = the engine default (true).</summary>
    public bool? AllowAnonymous { get; init; }

    /// <summary>Accept Basic on plain HTTP; null = the engine default (false).</summary>
    public bool? AllowBasicOverHttp { get; init; }

    /// <summary>The PAM service Basic passwords are checked with; null = <c>httpsys</c>.</summary>
    public string? PamServiceName { get; init; }

    /// <summary>Whether a Kerberos logon holds for the rest of its connection; null = the engine default (false, HTTP.sys).</summary>
    public bool? EnableKerberosCredentialCaching { get; init; }

    /// <summary>Largest WebSocket message in bytes (<see cref="WebSockets.WebSocketOptions.MaxMessageSize"/>); null = 1 MiB, <see cref="Unlimited"/> = unlimited.</summary>
    public long? WebSocketMaxMessageSize { get; init; }

    /// <summary>Keep-alive interval of the listener's WebSockets; null = 30 s, zero = none.</summary>
    public TimeSpan? WebSocketKeepAliveInterval { get; init; }

    /// <summary>Idle limit of the listener's WebSockets; null = none.</summary>
    public TimeSpan? WebSocketIdleTimeout { get; init; }

    /// <summary>How long a WebSocket close waits for the client's; null = 5 s.</summary>
    public TimeSpan? WebSocketCloseTimeout { get; init; }

    /// <summary>Accept permessage-deflate when a client offers it; null = the default (false).</summary>
    public bool? WebSocketCompression { get; init; }

    /// <summary>The directory of the listener's W3C access log, or null for none.</summary>
    public string? LogDirectory { get; init; }

    /// <summary>When the access log starts a new file: <c>daily</c> (the default) or <c>size:N</c>.</summary>
    public string? LogRollover { get; init; }

    /// <summary>The access log's W3C fields (space- or comma-separated names), or null for the default set.</summary>
    public string? LogFields { get; init; }

    /// <summary>
    /// Per-listener timers by their HTTP.sys names (<see cref="TimeoutKind"/>: EntityBody, DrainEntityBody, RequestQueue,
    /// IdleConnection, HeaderWait, MinSendBytesPerSecond); see <see cref="ParseTimeouts"/>. Null = inherit all.
    /// </summary>
    public IDictionary? Timeouts { get; init; }

    /// <summary>
    /// The default concurrency for handlers that hold a thread for the whole request (the PowerShell scriptblock
    /// adapter: one runspace each): <c>max(4, 2 × CPUs)</c>. Our choice: twice the cores keeps the CPUs busy while some
    /// requests wait on I/O, and at least 4 keeps a small machine responsive to a slow handler.
    /// </summary>
    public static int DefaultBlockingConcurrency(int processorCount) =>
        processorCount < 1
            ? throw new ArgumentOutOfRangeException(nameof(processorCount), processorCount, "processorCount must be at least 1 CPU.")
            : Math.Max(4, 2 * processorCount);

    /// <summary>The validated listener options. Throws <see cref="ArgumentException"/> (incl. out of range, naming the setting and unit) or <see cref="HttpSysException"/> (MalformedPrefix).</summary>
    public UrlGroupOptions ToUrlGroupOptions()
    {
        ArgumentNullException.ThrowIfNull(UrlPrefixes);
        var options = new UrlGroupOptions(Name, UrlPrefixes)
        {
            RequestQueueName = RequestQueueName,
            MaxConnections = Limit(MaxConnections, nameof(MaxConnections), 1, "connection"),
            Timeouts = ParseTimeouts(Timeouts),
        };
        if (RequestQueueLimit is { } queueLimit)
        {
            options = options with { RequestQueueLimit = queueLimit };
        }

        if (MaxRequestBodySize is { } bodySize)
        {
            options = options with { MaxRequestBodySize = Limit(bodySize, nameof(MaxRequestBodySize), 0, "bytes") };
        }

        if (MaxConcurrentRequests is { } concurrency)
        {
            options = options with { MaxConcurrentRequests = concurrency };
        }

        if (EnableResponseCaching is { } caching)
        {
            options = options with { EnableResponseCaching = caching };
        }

        if (AllowSynchronousIO is { } synchronousIO)
        {
            options = options with { AllowSynchronousIO = synchronousIO };
        }

        return options with { AccessLog = AccessLog(), Authentication = Authentication(), WebSockets = WebSocketLimits() };
    }

    /// <summary>
    /// Scheme names as users type them (<c>negotiate,basic</c>; commas or spaces; case-insensitive; <c>none</c>): the
    /// flags. Unknown names throw <see cref="ArgumentException"/> listing the valid ones.
    /// </summary>
    public static Authentication.AuthenticationSchemes ParseSchemes(string text)
    {
        var result = HttpSysPS.Engine.Authentication.AuthenticationSchemes.None;
        foreach (var name in text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            result |= Enum.TryParse<Authentication.AuthenticationSchemes>(name, ignoreCase: true, out var scheme) && !int.TryParse(name, out _)
                ? scheme
                : throw new ArgumentException($"'{name}' is not an authentication scheme; the schemes are Negotiate, Kerberos, NTLM, Basic (or None).");
        }

        return result;
    }

    private Authentication.AuthenticationOptions Authentication()
    {
        if (AuthenticationSchemes is null or HttpSysPS.Engine.Authentication.AuthenticationSchemes.None)
        {
            return Realm is null && AllowAnonymous is null && AllowBasicOverHttp is null && PamServiceName is null && EnableKerberosCredentialCaching is null
                ? HttpSysPS.Engine.Authentication.AuthenticationOptions.Disabled
                : throw new ArgumentException("A realm, AllowAnonymous, AllowBasicOverHttp or a PAM service need an authentication scheme.");
        }

        var options = new Authentication.AuthenticationOptions { Schemes = AuthenticationSchemes.Value, Realm = Realm };
        if (AllowAnonymous is { } anonymous)
        {
            options = options with { AllowAnonymous = anonymous };
        }

        if (EnableKerberosCredentialCaching is { } kerberosCaching)
        {
            options = options with { EnableKerberosCredentialCaching = kerberosCaching };
        }

        if (AllowBasicOverHttp is { } basicOverHttp)
        {
            options = options with { AllowBasicOverHttp = basicOverHttp };
        }

        return PamServiceName is null ? options : options with { PamServiceName = PamServiceName };
    }

    // Each WebSocketOptions setter checks its own range and names itself (ArgumentOutOfRangeException).
    private WebSockets.WebSocketOptions WebSocketLimits()
    {
        var limits = WebSockets.WebSocketOptions.Default;
        if (WebSocketMaxMessageSize is { } size)
        {
            limits = limits with { MaxMessageSize = Limit(size, nameof(WebSocketMaxMessageSize), 1, "bytes") };
        }

        if (WebSocketKeepAliveInterval is { } keepAlive)
        {
            limits = limits with { KeepAliveInterval = keepAlive };
        }

        if (WebSocketIdleTimeout is { } idle)
        {
            limits = limits with { IdleTimeout = idle };
        }

        if (WebSocketCloseTimeout is { } close)
        {
            limits = limits with { CloseTimeout = close };
        }

        if (WebSocketCompression is { } compression)
        {
            limits = limits with { EnableCompression = compression };
        }

        return limits;
    }

    private Logging.AccessLogOptions? AccessLog()
    {
        if (LogDirectory is null)
        {
            return LogRollover is null && LogFields is null
                ? null
                : throw new ArgumentException("A log rollover or log fields need a log directory.");
        }

        try
        {
            return new Logging.AccessLogOptions(LogDirectory)
            {
                Rollover = LogRollover is null ? Logging.LogRollover.Daily : Logging.LogRollover.Parse(LogRollover),
                Fields = LogFields is null ? Logging.W3CLogFields.Default : Logging.W3CLogFields.Parse(LogFields),
            };
        }
        catch (FormatException e)
        {
            throw new ArgumentException(e.Message, e);
        }
    }

    /// <summary>
    /// Per-listener timers from a name → value map (e.g. a PowerShell hashtable). Names are the HTTP.sys timer names,
    /// case-insensitive. Seconds timers take a whole number of seconds or a <see cref="TimeSpan"/> (rounded to whole
    /// seconds, as ASP.NET's TimeoutManager does); MinSendBytesPerSecond takes bytes per second. Every timer also takes
    /// <c>"inherit"</c> (0) or <c>"disabled"</c> (0xFFFF, or 0xFFFFFFFF for the send rate), and numeric strings. Timers
    /// not named inherit. Unknown names, fractions and other types throw <see cref="ArgumentException"/>; out-of-range
    /// values throw <see cref="ArgumentOutOfRangeException"/> naming the timer and unit.
    /// </summary>
    public static TimeoutLimits ParseTimeouts(IDictionary? values)
    {
        var result = TimeoutLimits.Inherit;
        if (values is null)
        {
            return result;
        }

        foreach (DictionaryEntry entry in values)
        {
            var name = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
            if (!TryParseTimerName(name, out var kind))
            {
                throw new ArgumentException(
                    $"'{name}' is not a timer; the timers are {string.Join(", ", Enum.GetNames<TimeoutKind>())}.", nameof(Timeouts));
            }

            result = result.With(kind, TimerValue(kind, entry.Value));
        }

        return result;
    }

    /// <summary>
    /// The timer called <paramref name="name"/>: one of the six HTTP.sys names (<see cref="TimeoutKind"/>),
    /// case-insensitive. Numbers are not names (<see cref="Enum.TryParse{TEnum}(string, bool, out TEnum)"/> would take
    /// "3" for IdleConnection).
    /// </summary>
    public static bool TryParseTimerName(string? name, out TimeoutKind kind)
    {
        foreach (var candidate in Enum.GetValues<TimeoutKind>())
        {
            if (string.Equals(candidate.ToString(), name, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    private static long TimerValue(TimeoutKind kind, object? value)
    {
        var isRate = kind == TimeoutKind.MinSendBytesPerSecond;
        var unit = isRate ? "bytes per second" : "seconds";
        switch (value)
        {
            case TimeSpan span when !isRate:
                // Out-of-range spans saturate so the range check below reports them in seconds.
                return Math.Abs(span.TotalSeconds) > int.MaxValue ? Math.Sign(span.TotalSeconds) * (long)int.MaxValue : Convert.ToInt64(span.TotalSeconds);
            case string text when text.Equals("inherit", StringComparison.OrdinalIgnoreCase):
                return 0;
            case string text when text.Equals("disabled", StringComparison.OrdinalIgnoreCase):
                return isRate ? TimeoutLimits.DisabledMinSendRate : TimeoutLimits.DisabledSeconds;
            case string text when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            case byte or sbyte or short or ushort or int or uint or long:
                return Convert.ToInt64(value, CultureInfo.InvariantCulture);
            case ulong big:
                return big > long.MaxValue ? long.MaxValue : (long)big;
            case float or double or decimal:
                var number = Convert.ToDecimal(value, CultureInfo.InvariantCulture);
                if (decimal.Truncate(number) == number && number is >= long.MinValue and <= long.MaxValue)
                {
                    return (long)number;
                }

                break;
        }

        throw new ArgumentException(
            $"The {kind} timer takes a whole number of {unit}{(isRate ? string.Empty : " or a TimeSpan")}, 'inherit' or 'disabled'; got {(value is null ? "null" : $"'{value}' ({value.GetType().Name})")}.",
            nameof(Timeouts));
    }

    private static long? Limit(long? value, string name, long minimum, string unit) =>
        value is null or Unlimited ? null
        : value < minimum ? throw new ArgumentOutOfRangeException(name, value, $"{name} must be {Unlimited} (unlimited) or at least {minimum} {unit}.")
        : value;
}
