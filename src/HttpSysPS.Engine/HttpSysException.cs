namespace HttpSysPS.Engine;

/// <summary>The one exception type the engine throws for expected failures; <see cref="Reason"/> says which.</summary>
public class HttpSysException : Exception
{
    public HttpSysException(HttpSysErrorReason reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    /// <summary>What went wrong, stable across versions.</summary>
    public HttpSysErrorReason Reason { get; }

    /// <summary>The closest Win32 error code HTTP.sys would have returned, for users who script against netsh results.</summary>
    public int NativeErrorCode => Reason switch
    {
        HttpSysErrorReason.AccessDenied => 5,
        HttpSysErrorReason.PortInUse => 32,
        HttpSysErrorReason.MalformedPrefix or HttpSysErrorReason.InvalidArgument => 87,
        HttpSysErrorReason.PrefixConflict or HttpSysErrorReason.AlreadyExists or HttpSysErrorReason.SchemePortConflict => 183,
        HttpSysErrorReason.NotFound => 2,
        _ => 1,
    };
}
