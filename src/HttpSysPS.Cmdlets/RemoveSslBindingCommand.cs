using System.Management.Automation;
using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Cmdlets;

/// <summary>Remove-SslBinding: netsh http delete sslcert. Removing an absent binding is a no-op.</summary>
[Cmdlet(VerbsCommon.Remove, "SslBinding", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ProvisioningResult))]
public sealed class RemoveSslBindingCommand : ConfigStoreCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("IpPort", "HostnamePort")]
    public string Key { get; set; } = string.Empty;

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Invoke(Key, () =>
    {
        var key = SslBindingKey.Parse(Key);
        if (ShouldProcess(key.ToString(), "Remove SSL binding"))
        {
            WriteResult(OpenStore().RemoveSslBinding(key), key.ToString(), null, PassThru);
        }
    });
}
