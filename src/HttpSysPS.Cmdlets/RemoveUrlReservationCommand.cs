using System.Management.Automation;
using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Cmdlets;

/// <summary>Remove-UrlReservation: netsh http delete urlacl. Removing an absent reservation is a no-op.</summary>
[Cmdlet(VerbsCommon.Remove, "UrlReservation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ProvisioningResult))]
public sealed class RemoveUrlReservationCommand : ConfigStoreCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public string Url { get; set; } = string.Empty;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Invoke(Url, () =>
    {
        var url = UrlReservation.ParseUrl(Url);
        if (ShouldProcess(url.FullPrefix, "Remove URL reservation"))
        {
            WriteResult(OpenStore().RemoveUrlReservation(url), url.FullPrefix, null, PassThru);
        }
    });
}
