using System.Management.Automation;
using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Cmdlets;

/// <summary>Set-HttpSysTimeout: netsh http add timeout, for all six timers. 0 = back to the HTTP.sys default.</summary>
[Cmdlet(VerbsCommon.Set, "HttpSysTimeout", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ProvisioningResult))]
public sealed class SetHttpSysTimeoutCommand : ConfigStoreCmdlet
{
    [Parameter]
    public int IdleConnection { get; set; }

    [Parameter]
    public int HeaderWait { get; set; }

    [Parameter]
    public int EntityBody { get; set; }

    [Parameter]
    public int DrainEntityBody { get; set; }

    [Parameter]
    public int RequestQueue { get; set; }

    [Parameter]
    public long MinSendBytesPerSecond { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Invoke(null, () =>
    {
        // Only the timers named on the command line change; the others keep their stored values.
        var values = Enum.GetValues<TimeoutKind>()
            .Where(k => MyInvocation.BoundParameters.ContainsKey(k.ToString()))
            .ToDictionary(k => k, k => Convert.ToInt64(MyInvocation.BoundParameters[k.ToString()], System.Globalization.CultureInfo.InvariantCulture));
        if (values.Count == 0)
        {
            throw new ArgumentException("Name at least one timer, e.g. -IdleConnection 60 or -HeaderWait 30.");
        }

        if (ShouldProcess("service-wide timeouts", "Set " + string.Join(", ", values.Select(v => $"{v.Key}={v.Value}"))))
        {
            var store = OpenStore();
            var result = store.SetTimeouts(values);
            WriteResult(result, string.Join(", ", values.Keys), PassThru ? store.Read().Timeouts : null, PassThru);
        }
    });
}
