using System.Management.Automation;
using HttpSysPS.Engine;
using HttpSysPS.Engine.Tls;

namespace HttpSysPS.Cmdlets;

/// <summary>New-HttpSysCertificate: httpsys cert new, a self-signed development certificate as a PEM pair.</summary>
[Cmdlet(VerbsCommon.New, "HttpSysCertificate", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(DevelopmentCertificateFiles))]
public sealed class NewHttpSysCertificateCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[] DnsName { get; set; } = [];

    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string OutputDirectory { get; set; } = string.Empty;

    protected override void ProcessRecord()
    {
        var directory = GetUnresolvedProviderPathFromPSPath(OutputDirectory);
        if (!ShouldProcess(directory, $"Write a self-signed certificate for {string.Join(", ", DnsName)} (cert.pem, key.pem)"))
        {
            return;
        }

        try
        {
            WriteObject(DevelopmentCertificate.New(DnsName, directory));
        }
        catch (Exception e) when (e is HttpSysException or ArgumentException)
        {
            WriteError(ErrorRecordFactory.Create(e, directory));
        }
    }
}
