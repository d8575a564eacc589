using System.Management.Automation;
using HttpSysPS.Cmdlets.Caching;

namespace HttpSysPS.Cmdlets;

/// <summary>
/// Clear-HttpSysResponseCache: netsh http delete cache (HttpFlushResponseCache) for the listeners of this session,
/// by URL (-Url, -Recursive) or by listener (-Name: everything under its registered prefixes).
/// </summary>
[Cmdlet(VerbsCommon.Clear, "HttpSysResponseCache", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = UrlSet)]
[OutputType(typeof(int))]
public sealed class ClearHttpSysResponseCacheCommand : ListenerCmdlet
{
    private const string UrlSet = "Url";
    private const string ListenerSet = "Listener";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = UrlSet)]
    [ValidateNotNullOrEmpty]
    public string[] Url { get; set; } = [];

    [Parameter(ParameterSetName = UrlSet)]
    public SwitchParameter Recursive { get; set; }

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ListenerSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == ListenerSet)
        {
            foreach (var listener in Resolve(Name))
            {
                if (ShouldProcess(listener.Name, "Clear the response cache under the listener's URL prefixes"))
                {
                    Invoke(listener.Name, () => Written(ResponseCacheControl.Flush(listener)));
                }
            }

            return;
        }

        foreach (var url in Url)
        {
            Invoke(url, () =>
            {
                var prefix = ResponseCacheControl.ParseUrl(url);
                if (ShouldProcess(url, Recursive ? "Clear the response cache under this URL" : "Clear the response cache of this URL"))
                {
                    Written(ResponseCacheControl.Flush(prefix, Recursive));
                }
            });
        }
    }

    private void Written(int removed)
    {
        WriteVerbose($"Removed {removed} response cache entries.");
        if (PassThru)
        {
            WriteObject(removed);
        }
    }
}
