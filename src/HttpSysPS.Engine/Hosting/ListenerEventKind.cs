namespace HttpSysPS.Engine.Hosting;

/// <summary>What a <see cref="ListenerEvent"/> reports.</summary>
public enum ListenerEventKind
{
    /// <summary>A request was answered (recorded only while someone asked for request lines).</summary>
    Request,

    /// <summary>The handler failed, or a script handler wrote an error.</summary>
    Error,

    /// <summary>Something worth a warning (a server-wide warning is given to every listener).</summary>
    Warning,
}
