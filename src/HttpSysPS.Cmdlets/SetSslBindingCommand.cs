using System.Management.Automation;
using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Cmdlets;

/// <summary>Set-SslBinding: netsh http add/update sslcert, as one idempotent create-or-replace.</summary>
[Cmdlet(VerbsCommon.Set, "SslBinding", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = FileSet)]
[OutputType(typeof(ProvisioningResult))]
public sealed class SetSslBindingCommand : ConfigStoreCmdlet
{
    private const string FileSet = "File";
    private const string StoreSet = "Store";

    // A binding read by Get-SslBinding binds here: its Certificate is already a resolved reference, so
    // Get-SslBinding | Set-SslBinding re-applies it unchanged (a no-op) or copies it to another -ConfigPath.
    private const string ReferenceSet = "Certificate";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("IpPort", "HostnamePort")]
    public string Key { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ParameterSetName = StoreSet)]
    [Alias("Thumbprint", "CertHash")]
    public string CertificateHash { get; set; } = string.Empty;

    [Parameter(ParameterSetName = StoreSet)]
    public string? CertificateStoreName { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = FileSet)]
    public string CertificateFile { get; set; } = string.Empty;

    [Parameter(ParameterSetName = FileSet)]
    public string? KeyFile { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ReferenceSet, ValueFromPipelineByPropertyName = true)]
    public SslCertificateReference? Certificate { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public Guid AppId { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter NegotiateClientCertificate { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter DisableTls12 { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter DisableTls13 { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter DisableHttp2 { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter DisableLegacyTls { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter DisableQuic { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter DisableOcspStapling { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter EnableSessionTicket { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter DisableSessionId { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter LogExtendedEvents { get; set; }

    // Taken so that a netsh line translated flag by flag gets a clear refusal (SslBinding.TokenBindingRefused), not "no such parameter".
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter EnableTokenBinding { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Invoke(Key, () =>
    {
        var certificate = ParameterSetName switch
        {
            StoreSet => SslCertificateReference.FromStore(CertificateHash, CertificateStoreName),
            ReferenceSet => Certificate!,
            _ => SslCertificateReference.FromFile(ResolvePath(CertificateFile)!, ResolvePath(KeyFile)),
        };
        var binding = new SslBinding(
            SslBindingKey.Parse(Key), certificate, AppId, NegotiateClientCertificate, DisableTls12, DisableTls13, DisableHttp2,
            DisableLegacyTls, DisableQuic, DisableOcspStapling, EnableSessionTicket, DisableSessionId, LogExtendedEvents, EnableTokenBinding);
        if (ShouldProcess(binding.Key.ToString(), $"Bind certificate {certificate}"))
        {
            WriteResult(OpenStore().SetSslBinding(binding), binding.Key.ToString(), binding, PassThru);
        }
    });
}
