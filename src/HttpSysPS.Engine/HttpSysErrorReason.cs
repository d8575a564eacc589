namespace HttpSysPS.Engine;

/// <summary>Why an engine operation failed. Cmdlets map these to stable ErrorIds; the host maps them to exit codes.</summary>
public enum HttpSysErrorReason
{
    /// <summary>An unexpected failure.</summary>
    Internal = 1,

    /// <summary>A URL prefix string is malformed (HTTP.sys ERROR_INVALID_PARAMETER, 87).</summary>
    MalformedPrefix = 2,

    /// <summary>The same prefix is already registered in the same host bucket (ERROR_ALREADY_EXISTS, 183).</summary>
    PrefixConflict = 3,

    /// <summary>http and https on one port (HTTP.sys refuses this too).</summary>
    SchemePortConflict = 4,

    /// <summary>The caller may not register or reserve this prefix (ERROR_ACCESS_DENIED, 5).</summary>
    AccessDenied = 5,

    /// <summary>The port is held by another process (ERROR_SHARING_VIOLATION, 32).</summary>
    PortInUse = 6,

    /// <summary>An object with this key already exists with different settings (e.g. a reservation with another ACL).</summary>
    AlreadyExists = 7,

    /// <summary>The named object does not exist.</summary>
    NotFound = 8,

    /// <summary>The configuration store cannot be read or parsed.</summary>
    CorruptStore = 9,

    /// <summary>A certificate or key is missing, unreadable or unusable.</summary>
    InvalidCertificate = 10,

    /// <summary>An argument is out of range or inconsistent with another.</summary>
    InvalidArgument = 11,

    /// <summary>The object is not in a state that allows the operation (e.g. starting a removed listener).</summary>
    InvalidState = 12,

    /// <summary>A handler type could not be loaded from an assembly.</summary>
    HandlerLoadFailed = 13,
}
