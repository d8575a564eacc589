using System.Management.Automation;
using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Cmdlets;

/// <summary>Get-SslBinding: netsh http show sslcert.</summary>
[Cmdlet(VerbsCommon.Get, "SslBinding")]
[OutputType(typeof(SslBinding))]
public sealed class GetSslBindingCommand : ConfigStoreCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("IpPort", "HostnamePort")]
    public string? Key { get; set; }

    protected override void ProcessRecord() => Invoke(Key, () =>
    {
        var filter = Key is null ? null : SslBindingKey.Parse(Key);
        WriteObject(OpenStore().Read().SslBindings.Where(b => filter is null || b.Key.Equals(filter)), enumerateCollection: true);
    });
}
