namespace HttpSysPS.Engine.Logging;

/// <summary>
/// A listener's W3C extended access log: one line per answered request in files under <see cref="Directory"/>
/// (<c>u_exyyMMdd.log</c> daily, or <c>u_ex{n}.log</c> by size), written in the background.
/// </summary>
/// <param name="Directory">Where the files go (created when missing).</param>
public sealed record AccessLogOptions(string Directory)
{
    /// <summary>When a new file starts. Default: daily (UTC), as IIS.</summary>
    public LogRollover Rollover { get; init; } = LogRollover.Daily;

    /// <summary>The fields of each line. Default: <see cref="W3CLogFields.Default"/>.</summary>
    public W3CLogFields Fields { get; init; } = W3CLogFields.Default;
}
