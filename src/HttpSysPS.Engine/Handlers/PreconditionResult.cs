namespace HttpSysPS.Engine.Handlers;

/// <summary>The outcome of evaluating a request's preconditions (RFC 9110 §13.2.2).</summary>
public enum PreconditionResult
{
    /// <summary>All conditions hold (or none were sent): continue with the request.</summary>
    Proceed,

    /// <summary>GET/HEAD whose If-None-Match or If-Modified-Since says the client's copy is current: 304.</summary>
    NotModified,

    /// <summary>If-Match or If-Unmodified-Since failed (or If-None-Match matched on another method): 412.</summary>
    PreconditionFailed,
}
