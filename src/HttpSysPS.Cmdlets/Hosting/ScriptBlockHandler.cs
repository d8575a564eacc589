using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using System.Text;
using HttpSysPS.Engine;
using HttpSysPS.Engine.Handlers;
using HttpSysPS.Cmdlets.WebSockets;

namespace HttpSysPS.Cmdlets.Hosting;

/// <summary>
/// The PowerShell adapter behind <c>New-HttpSysListener -ScriptBlock</c> and <c>-WebSocketScriptBlock</c>: an
/// <see cref="IRequestHandler"/> that runs the scriptblocks on one runspace pool, one runspace per script in flight.
/// See docs/hosting.md and docs/websockets.md for the user's view.
/// </summary>
/// <remarks>
/// <para>A scriptblock belongs to the runspace that created it (running it elsewhere would run it there, on the
/// caller's thread), so the pool gets its text, as <c>ForEach-Object -Parallel</c> does, and state is passed in
/// explicitly: <c>-Variable</c> as session variables, <c>-ImportModule</c> as modules of the initial session state,
/// and <c>-InitializationScript</c> run once in each runspace.</para>
/// <para>Initialization: PowerShellStandard 5.1 offers <c>InitialSessionState.StartupScripts</c>, but it takes script
/// <em>file</em> paths, which would mean a temporary file living as long as the listener (and subject to execution
/// policy). Instead the first request a runspace serves runs the initialization script at the runspace's global scope
/// (dot-sourced, so its functions and variables stay for later requests). A failing initialization fails that request
/// with its error and is retried by the next request on that runspace.</para>
/// <para>Each request calls the scriptblock compiled once per runspace as a global function (see
/// <see cref="ScriptRunspace"/>), so its own variables do not leak into the next request; <c>$global:</c> state and the
/// initialization script's definitions persist per runspace.</para>
/// <para>Concurrency: at most <see cref="ThrottleLimit"/> requests reach this handler at once because the listener's
/// <c>MaxConcurrentRequests</c> is set to the same number; the others wait in the engine's bounded request queue.
/// WebSocket messages share the runspaces: an upgraded request gives its queue slot back, and each socket has at most
/// one message in the pool (the next is not read before the last was handled), so the pool's queue stays bounded by
/// the open connections, and a client that sends faster than its script runs is slowed by TCP.</para>
/// <para>Response rule: if the script wrote body bytes (<c>$Response.Body</c>, <c>$Response.WriteAsync</c>,
/// <c>$Response.SendFileAsync</c>) or started the response, its pipeline output is discarded (with a warning event when
/// there was some). Otherwise the output becomes the body by <see cref="OutputBodyConverter"/>; a status code and
/// headers the script set are kept, and a Content-Type it set wins over the converter's.</para>
/// </remarks>
public sealed class ScriptBlockHandler : IRequestHandler, IDisposable
{
    /// <summary>The variable names the handler defines for the scripts; -Variable may not use them.</summary>
    public static readonly IReadOnlyList<string> ReservedVariables = ["Context", "Request", "Response", "Message", "WebSocket"];

    // The cmdlets every runspace of the pool has, by name.
    private static readonly (string Name, Type Type)[] SessionCmdlets =
    [
        ("Get-HttpSysWebSocket", typeof(GetHttpSysWebSocketCommand)),
        ("Send-HttpSysWebSocketMessage", typeof(SendHttpSysWebSocketMessageCommand)),
        ("Close-HttpSysWebSocket", typeof(CloseHttpSysWebSocketCommand)),
    ];

    private readonly ScriptRunspacePool _pool;
    private readonly bool _hasHttpScript;
    private readonly WebSocketScriptSession? _webSockets;
    private readonly bool _includeErrorDetail;
    private readonly Action<string, Exception?> _reportError;
    private readonly Action<string> _reportWarning;

    /// <summary>
    /// Opens the first runspace (so a module that cannot be imported fails here, not at the first request).
    /// Throws <see cref="HttpSysException"/>: InvalidArgument for a scriptblock the runspaces cannot run, HandlerLoadFailed
    /// when a runspace cannot open.
    /// </summary>
    /// <param name="scriptBlock">The HTTP handler, or null when the listener only takes WebSockets (other requests get 426);
    /// it must not declare a param block, using statements or $using: variables.</param>
    /// <param name="webSocket">The WebSocket message handler and its subprotocols, or null for none.</param>
    /// <param name="initializationScript">Runs once per runspace before its first script; null for none.</param>
    /// <param name="variables">Session variables for every runspace (values are shared, not copied).</param>
    /// <param name="modules">Module names or paths imported into every runspace.</param>
    /// <param name="throttleLimit">Runspaces (at least 1): the most scripts this handler runs at once.</param>
    /// <param name="includeErrorDetail">Send the error text in the 500 body.</param>
    /// <param name="reportError">Receives script errors (message, exception).</param>
    /// <param name="reportWarning">Receives script warnings and discarded-output notices.</param>
    public ScriptBlockHandler(
        ScriptBlock? scriptBlock,
        WebSocketScript? webSocket,
        ScriptBlock? initializationScript,
        IDictionary? variables,
        IReadOnlyList<string> modules,
        int throttleLimit,
        bool includeErrorDetail,
        Action<string, Exception?> reportError,
        Action<string> reportWarning)
    {
        if (scriptBlock is null && webSocket is null)
        {
            throw new ArgumentNullException(nameof(scriptBlock), "A scriptblock listener needs a -ScriptBlock, a -WebSocketScriptBlock, or both.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(throttleLimit, 1, nameof(throttleLimit));
        var definitions = new List<string>();
        if (scriptBlock is not null)
        {
            CheckPortable(scriptBlock, "-ScriptBlock", "$Context, $Request and $Response are");

            // The param block on the scriptblock's first line keeps the user's line numbers in error positions; the
            // newline before the brace keeps a trailing comment from swallowing it.
            definitions.Add($"function global:{ScriptRunspace.HandlerFunction} {{ param($Context, $Request, $Response) {scriptBlock}\n}}");
        }

        if (webSocket is not null)
        {
            CheckPortable(webSocket.MessageScript, "-WebSocketScriptBlock", "$Message and $WebSocket are");
            definitions.Add($"function global:{ScriptRunspace.MessageFunction} {{ param($Message, $WebSocket) {webSocket.MessageScript}\n}}");
        }

        if (initializationScript is not null)
        {
            CheckPortable(initializationScript, "-InitializationScript", null);
        }

        ThrottleLimit = throttleLimit;
        _hasHttpScript = scriptBlock is not null;
        _includeErrorDetail = includeErrorDetail;
        _reportError = reportError;
        _reportWarning = reportWarning;
        var state = InitialSessionState.CreateDefault2();
        state.ThrowOnRunspaceOpenError = true;

        // The WebSocket session cmdlets without importing the module (which would need it on $env:PSModulePath): a
        // message script broadcasts with Send-HttpSysWebSocketMessage, an HTTP script pushes to a dashboard's sockets.
        foreach (var (name, type) in SessionCmdlets)
        {
            state.Commands.Add(new SessionStateCmdletEntry(name, type, null));
        }
        if (modules.Count > 0)
        {
            state.ImportPSModule(modules.ToArray());
        }

        if (variables is not null)
        {
            foreach (DictionaryEntry entry in variables)
            {
                var name = Convert.ToString(PowerShellValues.Unwrap(entry.Key), System.Globalization.CultureInfo.InvariantCulture)?.TrimStart('$') ?? string.Empty;
                if (name.Length == 0 || ReservedVariables.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    throw new HttpSysException(HttpSysErrorReason.InvalidArgument,
                        $"-Variable cannot define '{name}': the handler defines $Context, $Request, $Response, $Message and $WebSocket itself.");
                }

                state.Variables.Add(new SessionStateVariableEntry(name, entry.Value, "New-HttpSysListener -Variable"));
            }
        }

        try
        {
            _pool = new ScriptRunspacePool(state, definitions, initializationScript?.ToString(), throttleLimit, reportError);
        }
        catch (Exception e) when (e is RuntimeException or InvalidOperationException or IOException)
        {
            throw new HttpSysException(HttpSysErrorReason.HandlerLoadFailed, $"The runspaces for the scriptblock could not be opened: {e.Message}", e);
        }

        if (webSocket is not null)
        {
            _webSockets = new WebSocketScriptSession(webSocket, RunAsync, reportError, reportWarning);
        }
    }

    /// <summary>Runspaces in the pool: the most scripts this handler runs at once.</summary>
    public int ThrottleLimit { get; }

    /// <inheritdoc />
    public async ValueTask HandleAsync(RequestContext context, CancellationToken cancellationToken)
    {
        if (_webSockets is not null && context.IsWebSocketRequest)
        {
            await _webSockets.RunAsync(context, cancellationToken).ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        if (!_hasHttpScript)
        {
            // RFC 9110 §15.5.22: a 426 names the protocol to switch to in Upgrade.
            response.StatusCode = 426;
            response.Headers["Upgrade"] = "websocket";
            response.ContentType = OutputBodyConverter.TextContentType;
            await response.WriteAsync(Encoding.UTF8.GetBytes("This listener takes WebSocket connections only: connect with a WebSocket client.\n"), cancellationToken).ConfigureAwait(false);
            return;
        }

        var invocation = new ScriptInvocation(ScriptRunspace.HandlerFunction,
            [new("Context", context), new("Request", context.Request), new("Response", response)], cancellationToken);
        var listener = context.Listener.Name;
        await RunAsync(invocation, listener).ConfigureAwait(false);
        var failure = invocation.Failure;
        cancellationToken.ThrowIfCancellationRequested();
        if (failure is null)
        {
            try
            {
                await WriteOutputAsync(listener, invocation.Output, response, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException or System.Text.Json.JsonException)
            {
                failure = e;
            }
        }

        await AnswerFailureAsync(listener, failure, response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the runspaces; requests still running are stopped.</summary>
    public void Dispose() => _pool.Dispose();

    /// <summary>
    /// Runs <paramref name="invocation"/> on the pool and reports what it wrote to the error and warning streams (a
    /// terminating error is left in <see cref="ScriptInvocation.Failure"/> for the caller, and reported once).
    /// </summary>
    private async Task RunAsync(ScriptInvocation invocation, string listener)
    {
        try
        {
            _pool.Enqueue(invocation);
        }
        catch (ObjectDisposedException e)
        {
            invocation.Failure = e;
            invocation.Complete();
        }

        await invocation.Completion.ConfigureAwait(false);

        // A terminating error may also sit in the error stream (-ErrorAction Stop on a written error): report it once.
        var terminating = (invocation.Failure as IContainsErrorRecord)?.ErrorRecord?.Exception;
        foreach (var error in invocation.Errors.Where(e => terminating is null || !ReferenceEquals(e.Exception, terminating)))
        {
            _reportError($"The handler of listener '{listener}' wrote an error: {error}", new ScriptHandlerException(error));
        }

        foreach (var warning in invocation.Warnings)
        {
            _reportWarning(warning);
        }
    }

    private async ValueTask WriteOutputAsync(string listener, IList<PSObject> output, Response response, CancellationToken cancellationToken)
    {
        if (response.HasStarted || response.BytesWritten > 0)
        {
            if (output.Count > 0)
            {
                _reportWarning($"Listener '{listener}': the handler wrote the response body itself, so its pipeline output ({output.Count} object(s)) was discarded.");
            }

            return;
        }

        if (OutputBodyConverter.TryConvert(output.Cast<object?>().ToList(), out var body, out var contentType, PowerShellValues.Adapt))
        {
            response.ContentType ??= contentType;
            await response.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask AnswerFailureAsync(string listener, Exception failure, Response response, CancellationToken cancellationToken)
    {
        var record = (failure as IContainsErrorRecord)?.ErrorRecord;
        var reported = record is null ? failure : new ScriptHandlerException(record);
        if (response.HasStarted || response.BytesWritten > 0)
        {
            // Too late to choose the status: the engine turns a buffered body into an empty 500 and aborts a started
            // response, and reports the failure itself (HandlerFailed), so it is not reported here as well.
            throw reported;
        }

        _reportError($"The handler of listener '{listener}' failed: {record?.ToString() ?? failure.Message}", reported);
        response.StatusCode = 500;
        response.ReasonPhrase = null;
        response.ContentLength = null;
        response.Headers.Clear();
        if (_includeErrorDetail)
        {
            var detail = record is null ? failure.ToString() : $"{record}\n{record.InvocationInfo?.PositionMessage}".TrimEnd();
            response.ContentType = OutputBodyConverter.TextContentType;
            await response.WriteAsync(Encoding.UTF8.GetBytes(detail), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Refuses what cannot work once the text runs in another runspace, with the fix in the message.</summary>
    private static void CheckPortable(ScriptBlock scriptBlock, string parameter, string? definedVariables)
    {
        if (scriptBlock.Ast is not ScriptBlockAst ast)
        {
            return;
        }

        if (ast.ParamBlock is not null && definedVariables is not null)
        {
            throw new HttpSysException(HttpSysErrorReason.InvalidArgument,
                $"The {parameter} must not declare a param block: {definedVariables} defined for it.");
        }

        if (ast.UsingStatements.Count > 0)
        {
            throw new HttpSysException(HttpSysErrorReason.InvalidArgument,
                $"The {parameter} cannot contain 'using' statements; write full type names, or import modules with -ImportModule.");
        }

        if (ast.Find(a => a is UsingExpressionAst, searchNestedScriptBlocks: true) is { } usingVariable)
        {
            throw new HttpSysException(HttpSysErrorReason.InvalidArgument,
                $"The {parameter} uses '{usingVariable.Extent.Text}', which has no meaning in the listener's runspaces; pass values with -Variable @{{ Name = $value }} instead.");
        }
    }
}
