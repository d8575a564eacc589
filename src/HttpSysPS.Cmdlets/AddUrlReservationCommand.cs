using System.Management.Automation;
using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Cmdlets;

/// <summary>Add-UrlReservation: netsh http add urlacl.</summary>
[Cmdlet(VerbsCommon.Add, "UrlReservation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(UrlReservation))]
public sealed class AddUrlReservationCommand : ConfigStoreCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public string Url { get; set; } = string.Empty;

    [Parameter(Mandatory = true, Position = 1)]
    [Alias("Principal")]
    public string[] User { get; set; } = [];

    [Parameter]
    public bool Listen { get; set; } = true;

    [Parameter]
    public SwitchParameter Delegate { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Invoke(Url, () =>
    {
        var reservation = UrlReservation.Create(Url, User, Listen, Delegate);
        if (ShouldProcess(reservation.Url.FullPrefix, $"Reserve for {string.Join(", ", reservation.Acl.Select(a => a.Principal))}"))
        {
            WriteResult(OpenStore().AddUrlReservation(reservation, Force), reservation.Url.FullPrefix);
            if (PassThru)
            {
                WriteObject(reservation);
            }
        }
    });
}
