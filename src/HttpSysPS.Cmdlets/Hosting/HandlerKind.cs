namespace HttpSysPS.Cmdlets.Hosting;

/// <summary>What answers a listener's requests (one per parameter set of New-HttpSysListener).</summary>
public enum HandlerKind
{
    /// <summary>A PowerShell scriptblock on a runspace pool (<c>-ScriptBlock</c>).</summary>
    ScriptBlock,

    /// <summary>A compiled <c>IRequestHandler</c> from an assembly (<c>-HandlerAssembly</c>/<c>-HandlerType</c>).</summary>
    Compiled,

    /// <summary>Static files below a directory (<c>-StaticRoot</c>).</summary>
    StaticFiles,

    /// <summary>A PowerShell scriptblock for WebSocket messages only (<c>-WebSocketScriptBlock</c> without <c>-ScriptBlock</c>): other requests get 426.</summary>
    WebSocketScriptBlock,
}
