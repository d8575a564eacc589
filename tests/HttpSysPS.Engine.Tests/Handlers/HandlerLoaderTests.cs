using HttpSysPS.Engine.Handlers;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Handlers;

/// <summary>Loading a compiled handler (samples/HelloHandler, built by this project's build) in its own load context.</summary>
public class HandlerLoaderTests
{
    [Fact]
    public async Task Sample_handler_loads_and_serves_hello_world()
    {
        var handler = HandlerLoader.Load(BuildOutputs.HelloHandlerAssembly, "HelloHandler.HelloHandler");
        Assert.NotSame(System.Runtime.Loader.AssemblyLoadContext.Default, System.Runtime.Loader.AssemblyLoadContext.GetLoadContext(handler.GetType().Assembly));
        await using var server = await TestServer.StartAsync(handler);
        using var http = server.CreateClient();
        using var response = await http.GetAsync("/");
        Assert.Equal("Hello, World!", await response.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public void Unknown_type_fails_with_HandlerLoadFailed()
    {
        var error = Assert.Throws<HttpSysException>(() => HandlerLoader.Load(BuildOutputs.HelloHandlerAssembly, "HelloHandler.NoSuchHandler"));
        Assert.Equal(HttpSysErrorReason.HandlerLoadFailed, error.Reason);
        Assert.Contains("HelloHandler.NoSuchHandler", error.Message);
    }

    [Fact]
    public void Missing_assembly_fails_with_HandlerLoadFailed()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"httpsysps-{Guid.NewGuid():N}", "Missing.dll");
        var error = Assert.Throws<HttpSysException>(() => HandlerLoader.Load(missing, "X.Y"));
        Assert.Equal(HttpSysErrorReason.HandlerLoadFailed, error.Reason);
        Assert.Contains("Missing.dll", error.Message);
    }

    [Fact]
    public void File_that_is_not_an_assembly_fails_with_HandlerLoadFailed()
    {
        using var temp = new TempDirectory();
        var fake = temp.Write("NotAnAssembly.dll", "this is text");
        var error = Assert.Throws<HttpSysException>(() => HandlerLoader.Load(fake, "X.Y"));
        Assert.Equal(HttpSysErrorReason.HandlerLoadFailed, error.Reason);
    }

    [Theory]
    [InlineData("/opt/h/Hello.dll:Hello.Handler", "/opt/h/Hello.dll", "Hello.Handler")]
    [InlineData("C:\\h\\Hello.dll:Hello.Handler", "C:\\h\\Hello.dll", "Hello.Handler")]
    public void Handler_spec_splits_at_the_last_colon(string spec, string assembly, string type)
    {
        Assert.Equal((assembly, type), HandlerLoader.ParseSpec(spec));
    }

    [Theory]
    [InlineData("Hello.dll")]
    [InlineData("Hello.dll:")]
    public void Handler_spec_without_a_type_is_refused(string spec)
    {
        Assert.Equal(HttpSysErrorReason.InvalidArgument, Assert.Throws<HttpSysException>(() => HandlerLoader.ParseSpec(spec)).Reason);
    }
}
