namespace HttpSysPS.Engine.Queues;

/// <summary>How a request the server itself refuses with 503 is answered (HTTP.sys HttpServer503VerbosityProperty, spec §5.2).</summary>
public enum Http503Verbosity
{
    /// <summary>No response: the connection is reset (HTTP.sys's own default).</summary>
    Basic = 0,

    /// <summary><c>503 Service Unavailable</c> with the standard body (IIS's default, and ours: a client sees an answer).</summary>
    Limited = 1,

    /// <summary><c>503</c> with a detailed reason phrase such as "Application request queue full.".</summary>
    Full = 2,
}
