using System.Management.Automation;
using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Cmdlets;

/// <summary>Get-UrlReservation: netsh http show urlacl, with wildcards over the normalised URL.</summary>
[Cmdlet(VerbsCommon.Get, "UrlReservation")]
[OutputType(typeof(UrlReservation))]
public sealed class GetUrlReservationCommand : ConfigStoreCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[]? Url { get; set; }

    protected override void ProcessRecord() => Invoke(Url, () =>
    {
        var reservations = OpenStore().Read().UrlReservations;
        var matches = Filter(reservations, Url, r => r.Url.FullPrefix, value =>
        {
            var url = UrlReservation.ParseUrl(value);
            return r => r.Url.Equals(url);
        }, "URL reservation");
        WriteObject(matches, enumerateCollection: true);
    });
}
