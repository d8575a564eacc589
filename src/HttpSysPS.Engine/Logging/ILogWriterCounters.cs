namespace HttpSysPS.Engine.Logging;

/// <summary>What a log writer lost, whatever its entries are (for the httpsys.log.* metrics).</summary>
internal interface ILogWriterCounters
{
    /// <summary>Entries dropped because the queue was full.</summary>
    long Dropped { get; }

    /// <summary>Entries lost to a failed write.</summary>
    long Failed { get; }
}
