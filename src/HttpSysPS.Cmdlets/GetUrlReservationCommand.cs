using System.Management.Automation;
using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Cmdlets;

/// <summary>Get-UrlReservation: netsh http show urlacl.</summary>
[Cmdlet(VerbsCommon.Get, "UrlReservation")]
[OutputType(typeof(UrlReservation))]
public sealed class GetUrlReservationCommand : ConfigStoreCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    public string? Url { get; set; }

    protected override void ProcessRecord() => Invoke(Url, () =>
    {
        var filter = Url is null ? null : UrlReservation.ParseUrl(Url);
        WriteObject(OpenStore().Read().UrlReservations.Where(r => filter is null || r.Url.Equals(filter)), enumerateCollection: true);
    });
}
