using System.Management.Automation;

namespace HttpSysPS.Cmdlets.Hosting;

/// <summary>
/// An error a handler scriptblock raised or wrote, carrying its <see cref="ErrorRecord"/> (script position, category,
/// target) from the pool's runspace to whoever reads the listener's events (Wait-HttpSysListener writes it as is).
/// </summary>
public sealed class ScriptHandlerException : Exception, IContainsErrorRecord
{
    /// <summary>Wraps <paramref name="errorRecord"/>.</summary>
    public ScriptHandlerException(ErrorRecord errorRecord)
        : base(errorRecord.ToString(), errorRecord.Exception) => ErrorRecord = errorRecord;

    /// <summary>The record as the script produced it.</summary>
    public ErrorRecord ErrorRecord { get; }
}
