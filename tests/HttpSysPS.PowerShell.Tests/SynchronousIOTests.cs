using System.Net;
using System.Text;
using HttpSysPS.PowerShell.Tests.Infrastructure;

namespace HttpSysPS.PowerShell.Tests;

/// <summary>
/// Synchronous body I/O per listener kind: scriptblocks always may (scripts call <c>$Response.Body.Write</c>), compiled
/// handlers only with <c>-AllowSynchronousIO</c> (the engine refuses it by default, as Kestrel does).
/// </summary>
public sealed class SynchronousIOTests : IDisposable
{
    private static readonly HttpClient Client = new() { Timeout = TimeSpan.FromSeconds(30) };

    private readonly ModuleSession _session = new();
    private readonly OwnedListeners _owned;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("httpsysps-syncio-");

    public SynchronousIOTests() => _owned = new OwnedListeners(_session);

    public void Dispose()
    {
        _owned.Dispose();
        _session.Dispose();
        try
        {
            _dir.Delete(recursive: true);
        }
        catch (IOException)
        {
            // The handler's load context may hold the file; a temp leftover is harmless.
        }
    }

    [Fact]
    public async Task A_scriptblock_reads_and_writes_the_bodies_synchronously()
    {
        var name = _owned.Name("syncsb");
        var result = _session.Run(
            "(New-HttpSysListener -Name $args[0] -UrlPrefix 'http://localhost:0/' -Start -IncludeErrorDetail -ScriptBlock { " +
            "$text = [IO.StreamReader]::new($Request.Body).ReadToEnd(); " +
            "$bytes = [Text.Encoding]::UTF8.GetBytes(\"got:$text\"); " +
            "$Response.Body.Write($bytes, 0, $bytes.Length); $Response.Body.Flush() }).BoundUrl[0]",
            name);
        Assert.Empty(result.Errors);

        var (status, body) = await PostAsync(result.Single<string>(), "hello");

        Assert.Equal((HttpStatusCode.OK, "got:hello"), (status, body));
    }

    [Fact]
    public async Task A_compiled_handler_writes_synchronously_with_AllowSynchronousIO()
    {
        var (status, body) = await PostAsync(StartSyncHandler("-AllowSynchronousIO"), "hello");

        Assert.Equal((HttpStatusCode.OK, "sync:hello"), (status, body));
    }

    [Fact]
    public async Task A_compiled_handler_writing_synchronously_without_AllowSynchronousIO_answers_500()
    {
        var (status, _) = await PostAsync(StartSyncHandler(string.Empty), "hello");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
    }

    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(string url, string text)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(text, Encoding.UTF8) };
        request.Headers.ConnectionClose = true;
        using var response = await Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>A started listener whose compiled handler echoes the body with Stream.Read, Write and Flush.</summary>
    private string StartSyncHandler(string switches)
    {
        var dll = Path.Combine(_dir.FullName, "SyncEcho.dll");
        if (!File.Exists(dll))
        {
            HandlerCompiler.Compile(_dir.FullName, "SyncEcho", """
                using System.IO;
                using System.Text;
                using System.Threading;
                using System.Threading.Tasks;
                using HttpSysPS.Engine.Handlers;

                namespace SyncEcho;

                public sealed class SyncEchoHandler : IRequestHandler
                {
                    public ValueTask HandleAsync(RequestContext context, CancellationToken cancellationToken)
                    {
                        var text = new StreamReader(context.Request.Body).ReadToEnd();
                        var bytes = Encoding.UTF8.GetBytes("sync:" + text);
                        context.Response.Body.Write(bytes, 0, bytes.Length);
                        context.Response.Body.Flush();
                        return default;
                    }
                }
                """);
        }

        var result = _session.Run(
            $"(New-HttpSysListener -UrlPrefix 'http://localhost:0/' -HandlerAssembly $args[0] -HandlerType SyncEcho.SyncEchoHandler -Name $args[1] -Start {switches}).BoundUrl[0]",
            dll,
            _owned.Name("synccompiled"));
        Assert.Empty(result.Errors);
        return result.Single<string>();
    }
}
