namespace HttpSysPS.Engine;

/// <summary>A listener's life cycle.</summary>
public enum UrlGroupState
{
    /// <summary>Created, prefixes not registered.</summary>
    Created,

    /// <summary>Prefixes registered, requests served.</summary>
    Started,

    /// <summary>Prefixes removed; finishing in-flight requests.</summary>
    Stopping,

    /// <summary>Stopped; can be started again.</summary>
    Stopped,

    /// <summary>Removed from its server; cannot be started again.</summary>
    Removed,
}
