namespace HttpSysPS.Engine.Http1;

/// <summary>
/// Thrown from request-body reads when the request turns out to be invalid (bad chunk framing, body over the limit).
/// If a handler lets it escape before the response started, the client gets the matching error page (e.g. 413), not 500.
/// </summary>
public sealed class RequestRejectedException : IOException
{
    public RequestRejectedException(RequestRejection rejection, string message)
        : base(message)
    {
        Rejection = rejection;
    }

    /// <summary>Why the request was rejected.</summary>
    public RequestRejection Rejection { get; }

    /// <summary>The HTTP status the client receives.</summary>
    public int StatusCode => ErrorPages.Describe(Rejection).Status;
}
