using System.Net;
using System.Reflection;
using HttpSysPS.Engine.Handlers;

namespace HttpSysPS.Engine.Tests.Hosting;

/// <summary>
/// New-HttpSysListener -HandlerAssembly/-HandlerType loads through <see cref="HandlerLoader"/>, as httpsys serve --handler
/// does: the sample handler, built beside this project, answers over a real socket.
/// </summary>
public class CompiledHandlerTests
{
    private static string HelloHandlerPath =>
        typeof(CompiledHandlerTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "HelloHandlerPath").Value!;

    [Fact]
    public async Task The_sample_handler_answers_through_the_engine_loader()
    {
        var handler = HandlerLoader.Load(HelloHandlerPath, "HelloHandler.HelloHandler");

        // Its own load context, but the contract type is the engine's: the host and the handler agree on IRequestHandler.
        Assert.NotSame(typeof(CompiledHandlerTests).Assembly, handler.GetType().Assembly);
        Assert.Equal("HelloHandler", handler.GetType().Assembly.GetName().Name);

        await using var server = new HttpServer();
        var group = server.CreateUrlGroup(new UrlGroupOptions("hello", ["http://127.0.0.1:0/hello/"]), handler);
        await group.StartAsync();
        using var client = new HttpClient();
        var url = new Uri(new Uri(group.RegisteredPrefixes[0].FullPrefix), "world");

        using var response = await client.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Hello, World!", await response.Content.ReadAsStringAsync());
        await group.RemoveAsync(TimeSpan.Zero);
    }

    [Fact]
    public void A_missing_type_is_HandlerLoadFailed_naming_it()
    {
        var e = Assert.Throws<HttpSysException>(() => HandlerLoader.Load(HelloHandlerPath, "HelloHandler.Missing"));
        Assert.Equal(HttpSysErrorReason.HandlerLoadFailed, e.Reason);
        Assert.Contains("HelloHandler.Missing", e.Message);
    }

    [Fact]
    public void A_missing_assembly_is_HandlerLoadFailed_naming_the_path()
    {
        var path = Path.Combine(Path.GetTempPath(), "httpsysps-" + Guid.NewGuid().ToString("N"), "Nope.dll");
        var e = Assert.Throws<HttpSysException>(() => HandlerLoader.Load(path, "Nope.Handler"));
        Assert.Equal(HttpSysErrorReason.HandlerLoadFailed, e.Reason);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void A_type_without_the_contract_is_refused()
    {
        // The engine assembly's own non-handler type, loaded by path like any handler assembly.
        var e = Assert.Throws<HttpSysException>(() => HandlerLoader.Load(typeof(HttpServer).Assembly.Location, typeof(UrlGroupOptions).FullName!));
        Assert.Equal(HttpSysErrorReason.HandlerLoadFailed, e.Reason);
        Assert.Contains("does not implement", e.Message);
    }
}
