using System.Management.Automation;
using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Cmdlets;

/// <summary>Set-SslBinding: netsh http add/update sslcert, as one idempotent create-or-replace.</summary>
[Cmdlet(VerbsCommon.Set, "SslBinding", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = "File")]
[OutputType(typeof(SslBinding))]
public sealed class SetSslBindingCommand : ConfigStoreCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("IpPort", "HostnamePort")]
    public string Key { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ParameterSetName = "Store")]
    [Alias("Thumbprint", "CertHash")]
    public string CertificateHash { get; set; } = string.Empty;

    [Parameter(ParameterSetName = "Store")]
    public string? CertificateStoreName { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = "File")]
    public string CertificateFile { get; set; } = string.Empty;

    [Parameter(ParameterSetName = "File")]
    public string? KeyFile { get; set; }

    [Parameter]
    public Guid AppId { get; set; }

    [Parameter]
    public SwitchParameter NegotiateClientCertificate { get; set; }

    [Parameter]
    public SwitchParameter DisableTls12 { get; set; }

    [Parameter]
    public SwitchParameter DisableTls13 { get; set; }

    [Parameter]
    public SwitchParameter DisableHttp2 { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Invoke(Key, () =>
    {
        var certificate = ParameterSetName == "Store"
            ? SslCertificateReference.FromStore(CertificateHash, CertificateStoreName)
            : SslCertificateReference.FromFile(ResolvePath(CertificateFile)!, ResolvePath(KeyFile));
        var binding = new SslBinding(SslBindingKey.Parse(Key), certificate, AppId, NegotiateClientCertificate, DisableTls12, DisableTls13, DisableHttp2);
        if (ShouldProcess(binding.Key.ToString(), $"Bind certificate {certificate}"))
        {
            WriteResult(OpenStore().SetSslBinding(binding), binding.Key.ToString());
            if (PassThru)
            {
                WriteObject(binding);
            }
        }
    });
}
