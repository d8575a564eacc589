using System.Management.Automation;
using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Cmdlets;

/// <summary>Add-UrlReservation: netsh http add urlacl. Adding an identical reservation is a no-op.</summary>
[Cmdlet(VerbsCommon.Add, "UrlReservation", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = UserSet)]
[OutputType(typeof(ProvisioningResult))]
public sealed class AddUrlReservationCommand : ConfigStoreCmdlet
{
    private const string UserSet = "User";

    // A reservation read by Get-UrlReservation binds here (Url and Acl by property name), so it can be copied to
    // another store or re-applied as it is, per-principal rights included.
    private const string AclSet = "Acl";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    public string Url { get; set; } = string.Empty;

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = UserSet)]
    [Alias("Principal")]
    public string[] User { get; set; } = [];

    [Parameter(Mandatory = true, ParameterSetName = AclSet, ValueFromPipelineByPropertyName = true)]
    public UrlReservationAce[] Acl { get; set; } = [];

    [Parameter(ParameterSetName = UserSet)]
    public bool Listen { get; set; } = true;

    [Parameter(ParameterSetName = UserSet)]
    public SwitchParameter Delegate { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Invoke(Url, () =>
    {
        var reservation = ParameterSetName == AclSet
            ? new UrlReservation(UrlReservation.ParseUrl(Url), Acl)
            : UrlReservation.Create(Url, User, Listen, Delegate);
        if (ShouldProcess(reservation.Url.FullPrefix, $"Reserve for {string.Join(", ", reservation.Acl.Select(a => a.Principal))}"))
        {
            WriteResult(OpenStore().AddUrlReservation(reservation, Force), reservation.Url.FullPrefix, reservation, PassThru);
        }
    });
}
