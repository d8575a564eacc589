using System.Management.Automation;
using System.Net.Sockets;
using HttpSysPS.Engine;

namespace HttpSysPS.Cmdlets;

/// <summary>
/// The one mapping from engine failures to PowerShell ErrorRecords. ErrorIds are stable (scripts match
/// <c>$_.FullyQualifiedErrorId</c>, e.g. <c>AccessDenied,HttpSysPS.Cmdlets.AddUrlReservationCommand</c>);
/// every cmdlet of the module reuses this table.
/// </summary>
internal static class ErrorRecordFactory
{
    /// <summary>ErrorId of a file system or socket failure that the engine did not type (not an HttpSysErrorReason).</summary>
    public const string IOErrorId = "IOError";

    /// <summary>
    /// True for the failures <see cref="Create"/> gives a stable ErrorId: the engine's typed exceptions, bad arguments,
    /// and the I/O, rights and state failures the BCL throws past the engine (a store path under a file, a socket file in
    /// a missing directory, a closed runspace pool). The cmdlets catch exactly these and write a non-terminating error;
    /// anything else is a bug and should surface as one.
    /// </summary>
    public static bool IsMapped(Exception exception) =>
        exception is HttpSysException or ArgumentException or FormatException
            or IOException or UnauthorizedAccessException or InvalidOperationException or SocketException;

    /// <summary>An ErrorRecord for <paramref name="exception"/> about <paramref name="target"/>.</summary>
    public static ErrorRecord Create(Exception exception, object? target)
    {
        var (errorId, category) = exception switch
        {
            HttpSysException e => Map(e.Reason),
            FormatException => Map(HttpSysErrorReason.MalformedPrefix),
            ArgumentException => Map(HttpSysErrorReason.InvalidArgument),
            // The same ErrorIds as the engine's own AccessDenied and InvalidState, so a script matches one name
            // whether the engine or the BCL noticed first.
            UnauthorizedAccessException => Map(HttpSysErrorReason.AccessDenied),
            InvalidOperationException => Map(HttpSysErrorReason.InvalidState),
            FileNotFoundException or DirectoryNotFoundException => (IOErrorId, ErrorCategory.ObjectNotFound),
            // Reads of the store map their I/O failures to CorruptStore in the engine, so what gets here failed on the
            // way out: creating the store's directory, writing it, binding a socket.
            IOException or SocketException => (IOErrorId, ErrorCategory.WriteError),
            _ => Map(HttpSysErrorReason.Internal),
        };
        return new ErrorRecord(exception, errorId, category, target);
    }

    /// <summary>
    /// A listener's handler error as read back from its event buffer: a script's own ErrorRecord as it was (script
    /// position included), anything else under the ErrorId <c>HandlerFailed</c> with the listener as target.
    /// </summary>
    public static ErrorRecord ForListenerError(string listener, string message, Exception? exception)
    {
        if (exception is IContainsErrorRecord { ErrorRecord: { } scriptRecord })
        {
            return scriptRecord;
        }

        return new ErrorRecord(exception ?? new InvalidOperationException(message), "HandlerFailed", ErrorCategory.NotSpecified, listener)
        {
            ErrorDetails = new ErrorDetails(message),
        };
    }

    /// <summary>ErrorId and category for each engine reason.</summary>
    public static (string ErrorId, ErrorCategory Category) Map(HttpSysErrorReason reason) => reason switch
    {
        HttpSysErrorReason.MalformedPrefix => ("MalformedPrefix", ErrorCategory.InvalidArgument),
        HttpSysErrorReason.PrefixConflict => ("PrefixConflict", ErrorCategory.ResourceExists),
        HttpSysErrorReason.SchemePortConflict => ("SchemePortConflict", ErrorCategory.ResourceExists),
        HttpSysErrorReason.AccessDenied => ("AccessDenied", ErrorCategory.PermissionDenied),
        HttpSysErrorReason.PortInUse => ("PortInUse", ErrorCategory.ResourceBusy),
        HttpSysErrorReason.AlreadyExists => ("AlreadyExists", ErrorCategory.ResourceExists),
        HttpSysErrorReason.NotFound => ("NotFound", ErrorCategory.ObjectNotFound),
        HttpSysErrorReason.CorruptStore => ("CorruptStore", ErrorCategory.ReadError),
        HttpSysErrorReason.InvalidCertificate => ("InvalidCertificate", ErrorCategory.InvalidData),
        HttpSysErrorReason.InvalidArgument => ("InvalidArgument", ErrorCategory.InvalidArgument),
        HttpSysErrorReason.InvalidState => ("InvalidState", ErrorCategory.InvalidOperation),
        HttpSysErrorReason.HandlerLoadFailed => ("HandlerLoadFailed", ErrorCategory.ObjectNotFound),
        _ => ("Internal", ErrorCategory.NotSpecified),
    };
}
