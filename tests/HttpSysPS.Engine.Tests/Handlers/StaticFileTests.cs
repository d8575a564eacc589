using System.Net;
using HttpSysPS.Engine.Handlers;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Handlers;

/// <summary>
/// The static-file handler: what it serves, and that no request-target — sent raw, never normalised by a client —
/// reaches a file outside its root. The secret files sit next to the root, outside it.
/// </summary>
public sealed class StaticFileTests : IDisposable
{
    private const string Secret = "TOP-SECRET-7f3a";
    private readonly TempDirectory _temp = new();
    private readonly string _root;

    public StaticFileTests()
    {
        _root = Path.Combine(_temp.Path, "root");
        _temp.Write("root/index.html", "<h1>home</h1>");
        _temp.Write("root/hello.txt", "hello file");
        _temp.Write("root/css/site.css", "body{}");
        _temp.Write("root/docs/index.html", "<h1>docs</h1>");
        _temp.Write("root/sub/inner.txt", "inner");
        _temp.Write("root/.env", Secret);
        _temp.Write("root/.git/config", Secret);
        _temp.Write("secret.txt", Secret);
        _temp.Write("outside/secret.txt", Secret);
        File.CreateSymbolicLink(Path.Combine(_root, "link-to-secret.txt"), Path.Combine(_temp.Path, "secret.txt"));
        Directory.CreateSymbolicLink(Path.Combine(_root, "linked-dir"), Path.Combine(_temp.Path, "outside"));
        File.CreateSymbolicLink(Path.Combine(_root, "relative-link.txt"), "../secret.txt");
    }

    public static TheoryData<string> TraversalTargets => new()
    {
        "/../secret.txt",
        "/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/.%2e/secret.txt",
        "/%2e%2e%2fsecret.txt",
        "/..%2fsecret.txt",
        "/..%5csecret.txt",
        "/..\\secret.txt",
        "/sub/..\\..\\secret.txt",
        "/sub/%2e%2e%5c%2e%2e%5csecret.txt",
        "/%u002e%u002e/secret.txt",
        "/%252e%252e/secret.txt",
        "/secret.txt%00",
        "/hello.txt%00.html",
        "/%00/../secret.txt",
        "/link-to-secret.txt",
        "/relative-link.txt",
        "/linked-dir/secret.txt",
        "/linked-dir/",
        "/.env",
        "/%2eenv",
        "/.git/config",
        "/sub/../.env",
        "//secret.txt",
        "http://x/../secret.txt",
    };

    [Theory]
    [MemberData(nameof(TraversalTargets))]
    public async Task Traversal_attempts_never_return_a_file_outside_the_root(string target)
    {
        await using var server = await StartAsync();
        await using var client = await server.ConnectAsync();
        var response = await client.RoundTripAsync($"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        Assert.DoesNotContain(Secret, response.BodyText);
        Assert.Contains(response.StatusCode, new[] { 400, 404 });

        // And the server is fine afterwards.
        Assert.Equal("hello file", (await server.ProbeAsync("/hello.txt")).BodyText);
    }

    [Fact]
    public async Task Files_are_served_with_their_content_type()
    {
        await using var server = await StartAsync();
        using var http = server.CreateClient();
        using var css = await http.GetAsync("/css/site.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css; charset=utf-8", css.Content.Headers.ContentType!.ToString());
        Assert.Equal("body{}", await css.Content.ReadAsStringAsync());
        Assert.NotNull(css.Content.Headers.LastModified);

        using var txt = await http.GetAsync("/hello.txt");
        Assert.Equal("text/plain; charset=utf-8", txt.Content.Headers.ContentType!.ToString());
        Assert.Equal(10, txt.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task Directories_serve_their_index_html()
    {
        await using var server = await StartAsync();
        using var http = server.CreateClient();
        Assert.Equal("<h1>home</h1>", await http.GetStringAsync("/"));
        Assert.Equal("<h1>docs</h1>", await http.GetStringAsync("/docs/"));
        using var root = await http.GetAsync("/");
        Assert.Equal("text/html; charset=utf-8", root.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task HEAD_has_the_headers_and_no_body()
    {
        await using var server = await StartAsync();
        await using var client = await server.ConnectAsync();
        var head = await client.RoundTripAsync("HEAD /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n", headRequest: true);
        Assert.Equal("HTTP/1.1 200 OK", head.StatusLine);
        Assert.Equal("10", head.Header("Content-Length"));
        Assert.Equal("text/plain; charset=utf-8", head.Header("Content-Type"));
        Assert.Equal("hello file", (await client.RoundTripAsync("GET /hello.txt HTTP/1.1\r\nHost: x\r\n\r\n")).BodyText);
    }

    [Fact]
    public async Task Missing_file_is_404_and_POST_is_405()
    {
        await using var server = await StartAsync();
        using var http = server.CreateClient();
        using var missing = await http.GetAsync("/missing.txt");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var post = await http.PostAsync("/hello.txt", new StringContent("x"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
        Assert.Equal("GET, HEAD", string.Join(", ", post.Content.Headers.Allow));
    }

    [Fact]
    public async Task Large_file_goes_out_whole_through_sendfile()
    {
        var bytes = new byte[3 * 1024 * 1024 + 17];
        new Random(7).NextBytes(bytes);
        File.WriteAllBytes(Path.Combine(_root, "big.bin"), bytes);
        await using var server = await StartAsync();
        using var http = server.CreateClient();
        Assert.Equal(bytes, await http.GetByteArrayAsync("/big.bin"));
        Assert.True(server.Server.SendFileCount > 0);
    }

    [Fact]
    public async Task Files_are_served_below_a_prefix_path()
    {
        await using var server = await TestServer.StartAsync(new StaticFileHandler(_root), prefixes: ["http://127.0.0.1:0/static/"]);
        Assert.Equal("inner", (await server.ProbeAsync("/static/sub/inner.txt")).BodyText);
        Assert.Equal(404, (await server.ProbeAsync("/static/../secret.txt")).StatusCode);
    }

    [Fact]
    public void Missing_root_is_refused()
    {
        var error = Assert.Throws<HttpSysException>(() => new StaticFileHandler(Path.Combine(_temp.Path, "nope")));
        Assert.Equal(HttpSysErrorReason.NotFound, error.Reason);
    }

    public void Dispose() => _temp.Dispose();

    private Task<TestServer> StartAsync() => TestServer.StartAsync(new StaticFileHandler(_root));
}
