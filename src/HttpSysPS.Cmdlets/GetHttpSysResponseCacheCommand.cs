using System.Management.Automation;
using HttpSysPS.Cmdlets.Caching;

namespace HttpSysPS.Cmdlets;

/// <summary>Get-HttpSysResponseCache: netsh http show cachestate for the listeners of this session.</summary>
[Cmdlet(VerbsCommon.Get, "HttpSysResponseCache")]
[OutputType(typeof(HttpSysResponseCacheEntry))]
public sealed class GetHttpSysResponseCacheCommand : ListenerCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Url { get; set; }

    protected override void ProcessRecord() => Invoke(Url, () => WriteObject(ResponseCacheControl.List(Name is null ? null : Resolve(Name), Url is null ? null : ResponseCacheControl.ParseUrl(Url)), enumerateCollection: true));
}
