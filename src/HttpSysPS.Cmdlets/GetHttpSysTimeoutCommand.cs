using System.Management.Automation;
using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Cmdlets;

/// <summary>Get-HttpSysTimeout: netsh http show timeout. Stored values (0 = default), or with -Effective the values in force.</summary>
[Cmdlet(VerbsCommon.Get, "HttpSysTimeout")]
[OutputType(typeof(TimeoutLimits))]
public sealed class GetHttpSysTimeoutCommand : ConfigStoreCmdlet
{
    [Parameter]
    public SwitchParameter Effective { get; set; }

    protected override void ProcessRecord() => Invoke(null, () =>
    {
        var stored = OpenStore().Read().Timeouts;
        WriteObject(Effective ? TimeoutLimits.Resolve(null, stored) : stored);
    });
}
