using System.Collections;
using System.Management.Automation;
using HttpSysPS.Cmdlets.Hosting;
using HttpSysPS.Engine.Authentication;
using HttpSysPS.Cmdlets.WebSockets;
using HttpSysPS.Engine.Handlers;
using HttpSysPS.Engine.Hosting;

namespace HttpSysPS.Cmdlets;

/// <summary>New-HttpSysListener: a listener (HTTP.sys URL group + request queue) answered by a scriptblock, a compiled handler or static files, and WebSockets by a message scriptblock.</summary>
[Cmdlet(VerbsCommon.New, "HttpSysListener", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = ScriptBlockSet)]
[OutputType(typeof(HttpSysListenerInfo))]
public sealed class NewHttpSysListenerCommand : ListenerCmdlet
{
    private const string ScriptBlockSet = "ScriptBlock";
    private const string CompiledSet = "HandlerAssembly";
    private const string StaticSet = "StaticRoot";
    private const string WebSocketSet = "WebSocketScriptBlock";

    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string[] UrlPrefix { get; set; } = [];

    // Optional beside -WebSocketScriptBlock: one listener answers HTTP with it and takes WebSockets with the other. (In
    // that set and not the other way round: PowerShell falls back to the default set when a parameter is in several.)
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ScriptBlockSet)]
    [Parameter(Position = 1, ParameterSetName = WebSocketSet)]
    public ScriptBlock? ScriptBlock { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = WebSocketSet)]
    public ScriptBlock? WebSocketScriptBlock { get; set; }

    [Parameter(ParameterSetName = WebSocketSet)]
    [ValidateNotNullOrEmpty]
    public string[]? WebSocketSubProtocol { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = CompiledSet)]
    [ValidateNotNullOrEmpty]
    public string? HandlerAssembly { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = CompiledSet)]
    [ValidateNotNullOrEmpty]
    public string? HandlerType { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = StaticSet)]
    [ValidateNotNullOrEmpty]
    public string? StaticRoot { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter]
    [ValidateLength(1, 260)]
    public string? RequestQueueName { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? RequestQueueLimit { get; set; }

    [Parameter]
    public long? MaxConnections { get; set; }

    [Parameter]
    public long? MaxRequestBodySize { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? ThrottleLimit { get; set; }

    [Parameter]
    public Hashtable? Timeout { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LogDirectory { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LogRollover { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? LogField { get; set; }

    [Parameter]
    public AuthenticationSchemes[]? AuthenticationScheme { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Realm { get; set; }

    [Parameter]
    public SwitchParameter AllowAnonymous { get; set; }

    [Parameter]
    public SwitchParameter AllowBasicOverHttp { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? PamServiceName { get; set; }

    [Parameter(ParameterSetName = ScriptBlockSet)]
    [Parameter(ParameterSetName = WebSocketSet)]
    public ScriptBlock? InitializationScript { get; set; }

    [Parameter(ParameterSetName = ScriptBlockSet)]
    [Parameter(ParameterSetName = WebSocketSet)]
    public Hashtable? Variable { get; set; }

    [Parameter(ParameterSetName = ScriptBlockSet)]
    [Parameter(ParameterSetName = WebSocketSet)]
    [ValidateNotNullOrEmpty]
    public string[]? ImportModule { get; set; }

    [Parameter(ParameterSetName = ScriptBlockSet)]
    [Parameter(ParameterSetName = WebSocketSet)]
    public SwitchParameter IncludeErrorDetail { get; set; }

    [Parameter(ParameterSetName = CompiledSet)]
    public SwitchParameter AllowSynchronousIO { get; set; }

    [Parameter]
    public long? WebSocketMaxMessageSize { get; set; }

    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? WebSocketKeepAliveInterval { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? WebSocketIdleTimeout { get; set; }

    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? WebSocketCloseTimeout { get; set; }

    [Parameter]
    public SwitchParameter WebSocketCompression { get; set; }

    [Parameter]
    public SwitchParameter Start { get; set; }

    protected override void ProcessRecord()
    {
        // Without -Name the message shows the default name the listener would get, but only creating takes it (in the
        // registry, atomically): -WhatIf or a "No" at -Confirm leaves it for the next New-HttpSysListener.
        var shownName = Name ?? ListenerRegistry.PeekName();
        if (!ShouldProcess(string.Join(", ", UrlPrefix), $"Create listener '{shownName}'{(Start ? " and start it" : string.Empty)}"))
        {
            return;
        }

        Invoke(shownName, () =>
        {
            var isScript = ParameterSetName is ScriptBlockSet or WebSocketSet;
            var settings = new ListenerSettings(shownName, UrlPrefix)
            {
                RequestQueueName = RequestQueueName,
                RequestQueueLimit = RequestQueueLimit,
                MaxConnections = MaxConnections,
                MaxRequestBodySize = MaxRequestBodySize,
                MaxConcurrentRequests = ThrottleLimit ?? (isScript ? ListenerSettings.DefaultBlockingConcurrency(Environment.ProcessorCount) : null),
                Timeouts = Timeout?.Cast<DictionaryEntry>().ToDictionary(e => PowerShellValues.Unwrap(e.Key)!, e => PowerShellValues.Unwrap(e.Value)),
                LogDirectory = LogDirectory is null ? null : GetUnresolvedProviderPathFromPSPath(LogDirectory),
                LogRollover = LogRollover,
                LogFields = LogField is null ? null : string.Join(' ', LogField),
                AuthenticationSchemes = AuthenticationScheme?.Aggregate(AuthenticationSchemes.None, (all, one) => all | one),
                Realm = Realm,

                // A switch whose absence means the engine default (true), so -AllowAnonymous:$false turns it off.
                AllowAnonymous = MyInvocation.BoundParameters.ContainsKey(nameof(AllowAnonymous)) ? AllowAnonymous.IsPresent : null,
                AllowBasicOverHttp = AllowBasicOverHttp.IsPresent ? true : null,
                PamServiceName = PamServiceName,
                WebSocketMaxMessageSize = WebSocketMaxMessageSize,
                WebSocketKeepAliveInterval = Seconds(WebSocketKeepAliveInterval),
                WebSocketIdleTimeout = Seconds(WebSocketIdleTimeout),
                WebSocketCloseTimeout = Seconds(WebSocketCloseTimeout),
                WebSocketCompression = WebSocketCompression.IsPresent ? true : null,

                // Scripts write $Response.Body and read $Request.Body with the synchronous Stream methods (the Async
                // ones return tasks a script must unwrap), and each runs on a runspace thread of its own anyway.
                // Compiled handlers opt in; static files never block.
                AllowSynchronousIO = isScript || AllowSynchronousIO.IsPresent,
            };
            var kind = ParameterSetName switch
            {
                ScriptBlockSet => HandlerKind.ScriptBlock,
                WebSocketSet when ScriptBlock is null => HandlerKind.WebSocketScriptBlock,
                WebSocketSet => HandlerKind.ScriptBlock,
                CompiledSet => HandlerKind.Compiled,
                _ => HandlerKind.StaticFiles,
            };
            var webSocket = WebSocketScriptBlock is null ? null : new WebSocketScript(WebSocketScriptBlock, WebSocketSubProtocol ?? []);
            var listener = ListenerRegistry.Create(Name, name => (settings with { Name = name }).ToUrlGroupOptions(), kind, UrlPrefix, (options, router) => kind switch
            {
                HandlerKind.ScriptBlock or HandlerKind.WebSocketScriptBlock => new ScriptBlockHandler(ScriptBlock, webSocket, InitializationScript, Variable,
                    ImportModule?.Select(ModuleNameOrPath).ToArray() ?? [], options.MaxConcurrentRequests, IncludeErrorDetail,
                    (message, e) => router.Error(options.Name, message, e), router.Warning),
                HandlerKind.Compiled => HandlerLoader.Load(GetUnresolvedProviderPathFromPSPath(HandlerAssembly), HandlerType!),
                _ => new StaticFileHandler(GetUnresolvedProviderPathFromPSPath(StaticRoot)),
            });
            if (Start)
            {
                StartOrRemove(listener);
            }

            WriteObject(listener.ToInfo());
        });
    }

    // -Start is part of creating: a listener that cannot start (port in use, no reservation) is not left behind.
    private void StartOrRemove(HostedListener listener)
    {
        try
        {
            listener.Group.StartAsync(Cancellation).GetAwaiter().GetResult();
        }
        catch
        {
            ListenerRegistry.RemoveAsync(listener, TimeSpan.Zero, CancellationToken.None).GetAwaiter().GetResult();
            throw;
        }
    }

    private static TimeSpan? Seconds(int? seconds) => seconds is { } s ? TimeSpan.FromSeconds(s) : null;

    // A module given as a path (relative to the current PowerShell location) is resolved here; a name is looked up
    // on $env:PSModulePath by each runspace.
    private string ModuleNameOrPath(string module) =>
        module.IndexOfAny(['/', '\\']) >= 0 || module.StartsWith('.') || Path.GetExtension(module).ToLowerInvariant() is ".psd1" or ".psm1" or ".dll"
            ? GetUnresolvedProviderPathFromPSPath(module)
            : module;
}
