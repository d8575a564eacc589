namespace HttpSysPS.Engine.WebSockets;

/// <summary>
/// A listener's WebSocket limits (<see cref="UrlGroupOptions.WebSockets"/>), also accepted per upgrade by
/// <see cref="Handlers.RequestContext.AcceptWebSocketAsync"/>. Immutable; every value is checked when set.
/// </summary>
public sealed record WebSocketOptions
{
    /// <summary>The defaults: 1 MiB messages, a keep-alive every 30 s, no idle limit, 5 s for the close handshake, no compression.</summary>
    public static WebSocketOptions Default { get; } = new();

    private readonly long? _maxMessageSize = 1024 * 1024;
    private readonly TimeSpan _keepAliveInterval = TimeSpan.FromSeconds(30);
    private readonly TimeSpan? _idleTimeout;
    private readonly TimeSpan _closeTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Largest message in bytes (all its fragments together); null = unlimited. A larger message closes the socket with
    /// 1009 (message too big), and the receiver sees a close. Default 1 MiB.
    /// </summary>
    public long? MaxMessageSize
    {
        get => _maxMessageSize;
        init => _maxMessageSize = OptionGuards.UnlimitedOrAtLeastOne(value, nameof(MaxMessageSize), "byte");
    }

    /// <summary>How often the server sends a keep-alive frame on a quiet socket; <see cref="TimeSpan.Zero"/> = never. Default 30 s.</summary>
    public TimeSpan KeepAliveInterval
    {
        get => _keepAliveInterval;
        init => _keepAliveInterval = value < TimeSpan.Zero
            ? throw new ArgumentOutOfRangeException(nameof(KeepAliveInterval), value, "KeepAliveInterval must be zero (off) or a positive time.")
            : value;
    }

    /// <summary>
    /// A socket whose client sent no frame (data, ping, pong or close) for this long while the server was reading is
    /// closed without a close frame, logged as <c>Timer_WebSocketIdle</c>; null = no limit (the default). With a
    /// keep-alive on .NET 9 and later the server's keep-alive is a ping the client must answer, so a live client is
    /// never idle for longer than the interval plus its round trip.
    /// </summary>
    public TimeSpan? IdleTimeout
    {
        get => _idleTimeout;
        init => _idleTimeout = value is { } v && v <= TimeSpan.Zero
            ? throw new ArgumentOutOfRangeException(nameof(IdleTimeout), value, "IdleTimeout must be null (no limit) or a positive time.")
            : value;
    }

    /// <summary>How long the server waits for the client's close frame after sending its own, before it drops the connection. Default 5 s.</summary>
    public TimeSpan CloseTimeout
    {
        get => _closeTimeout;
        init => _closeTimeout = value <= TimeSpan.Zero
            ? throw new ArgumentOutOfRangeException(nameof(CloseTimeout), value, "CloseTimeout must be a positive time.")
            : value;
    }

    /// <summary>Accept permessage-deflate (RFC 7692) when the client offers it. Default false: compression of secrets
    /// next to attacker-controlled text leaks them (CRIME/BREACH), so it is the handler's choice.</summary>
    public bool EnableCompression { get; init; }
}
