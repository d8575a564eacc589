using System.Management.Automation;
using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Cmdlets;

/// <summary>Get-SslBinding: netsh http show sslcert, with wildcards over the key.</summary>
[Cmdlet(VerbsCommon.Get, "SslBinding")]
[OutputType(typeof(SslBinding))]
public sealed class GetSslBindingCommand : ConfigStoreCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("IpPort", "HostnamePort")]
    [SupportsWildcards]
    public string[]? Key { get; set; }

    protected override void ProcessRecord() => Invoke(Key, () =>
    {
        var bindings = OpenStore().Read().SslBindings;
        var matches = Filter(bindings, Key, b => b.Key.ToString(), value =>
        {
            var key = SslBindingKey.Parse(value);
            return b => b.Key.Equals(key);
        }, "SSL binding");
        WriteObject(matches, enumerateCollection: true);
    });
}
