using System.Net;
using HttpSysPS.Engine.Handlers;
using HttpSysPS.Engine.Tests.Caching;

namespace HttpSysPS.Engine.Tests.StaticFiles;

/// <summary>Everything about serving files that is not a precondition or a range.</summary>
public sealed class StaticFileHandlerTests(StaticSite site) : IClassFixture<StaticSite>
{
    [Theory]
    [InlineData("/page.html", 200, "<p>page</p>")]
    [InlineData("/dir/", 200, "dir index")]
    [InlineData("/docs/", 200, "docs index")]       // the second default document
    [InlineData("/nodefault/", 404, "")]
    [InlineData("/missing.txt", 404, "")]
    [InlineData("/.env", 404, "")]                  // hidden files are private by default
    [InlineData("/.git/config", 404, "")]
    [InlineData("/dir/.hidden", 404, "")]
    [InlineData("/inside-link.bin", 200, null)]     // a link that stays inside the root is served
    [InlineData("/outside-link.txt", 404, "")]      // a link leaving the root is refused
    [InlineData("/outside-dir/secret.txt", 404, "")]
    [InlineData("/%2e%2e/%2e%2e/etc/passwd", 404, "")]
    [InlineData("/dir%5c..%5c..%5cetc%5cpasswd", 404, "")]
    public async Task Paths(string path, int status, string? body)
    {
        var raw = await site.Host.RawAsync($"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        Assert.StartsWith($"HTTP/1.1 {status} ", raw);
        if (body is not null)
        {
            Assert.EndsWith("\r\n\r\n" + body, raw);
        }
    }

    [Theory]
    [InlineData("/dir", "/dir/")]
    [InlineData("/dir?x=1", "/dir/?x=1")]
    public async Task A_directory_without_its_slash_is_redirected(string path, string location)
    {
        using var response = await site.Host.GetAsync(path);
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(location, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_redirect_keeps_the_raw_path_as_sent()
    {
        var raw = await site.Host.RawAsync("GET /d%69r HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 301 ", raw);
        Assert.Contains("\r\nLocation: /d%69r/\r\n", raw);
    }

    [Fact]
    public async Task A_directory_link_leaving_the_root_is_not_redirected_either()
    {
        using var response = await site.Host.GetAsync("/outside-dir");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/page.html", "text/html")]
    [InlineData("/style.css", "text/css")]
    [InlineData("/app.js", "text/javascript")]
    [InlineData("/data.bin", "application/octet-stream")]
    [InlineData("/notes.unknownext", "application/octet-stream")]
    public async Task Content_types(string path, string mediaType)
    {
        using var response = await site.Host.GetAsync(path);
        Assert.Equal(mediaType, response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public void The_MIME_table_is_extended_from_a_mime_types_file_and_built_in_entries_win()
    {
        using var dir = new TempDir();
        var file = dir.File("mime.types", "# comment\napplication/x-custom\tcustom cst\ntext/plain\thtml\n");

        var types = MimeTypes.Create(file);

        Assert.Equal("application/x-custom", types.Get("a.custom"));
        Assert.Equal("application/x-custom", types.Get("a.CST"));
        Assert.Equal("text/html; charset=utf-8", types.Get("a.html"));
    }

    [Theory]
    [InlineData("br", "br", "BROTLI-BYTES")]
    [InlineData("gzip, deflate, br", "br", "BROTLI-BYTES")]
    [InlineData("gzip", "gzip", "GZIP-BYTES")]
    [InlineData("br;q=0, gzip", "gzip", "GZIP-BYTES")]
    [InlineData("*", "br", "BROTLI-BYTES")]
    [InlineData("*, br;q=0", "gzip", "GZIP-BYTES")]
    [InlineData("identity", null, "console.log('identity');")]
    [InlineData("br;q=0, gzip;q=0", null, "console.log('identity');")]
    public async Task Precompressed_siblings(string acceptEncoding, string? encoding, string body)
    {
        using var response = await site.Host.GetAsync("/app.js", ("Accept-Encoding", acceptEncoding));

        Assert.Equal(body, await response.Content.ReadAsStringAsync());
        Assert.Equal(encoding, response.Content.Headers.ContentEncoding.SingleOrDefault());
        Assert.Equal("text/javascript", response.Content.Headers.ContentType!.MediaType); // the original's type
        Assert.Equal("Accept-Encoding", response.Headers.Vary.Single());
    }

    [Fact]
    public async Task Each_encoding_has_its_own_entity_tag()
    {
        using var identity = await site.Host.GetAsync("/app.js");
        using var br = await site.Host.GetAsync("/app.js", ("Accept-Encoding", "br"));
        using var gzip = await site.Host.GetAsync("/app.js", ("Accept-Encoding", "gzip"));

        Assert.Equal(3, new[] { identity.Headers.ETag, br.Headers.ETag, gzip.Headers.ETag }.Distinct().Count());
        Assert.Empty(identity.Headers.Vary); // no Accept-Encoding: the siblings were not even looked for
    }

    [Fact]
    public async Task Precompressed_siblings_can_be_turned_off()
    {
        using var dir = new TempDir();
        dir.File("a.txt", "plain");
        dir.File("a.txt.gz", "gz");
        await using var host = await TestHost.StartAsync(new StaticFileHandler(dir.Path, new StaticFileOptions { ServePrecompressed = false }));

        using var response = await host.GetAsync("/a.txt", ("Accept-Encoding", "gzip"));

        Assert.Equal("plain", await response.Content.ReadAsStringAsync());
        Assert.Empty(response.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task Hidden_files_can_be_served_when_enabled_but_dot_segments_never()
    {
        using var dir = new TempDir();
        dir.File(".well-known/security.txt", "contact");
        await using var host = await TestHost.StartAsync(new StaticFileHandler(dir.Path, new StaticFileOptions { ServeHiddenFiles = true }));

        using var response = await host.GetAsync("/.well-known/security.txt");

        Assert.Equal("contact", await response.Content.ReadAsStringAsync());
        Assert.Null(new StaticFileHandler(dir.Path, new StaticFileOptions { ServeHiddenFiles = true }).Resolve("/../x"));
    }

    [Fact]
    public async Task Default_documents_are_an_option()
    {
        using var dir = new TempDir();
        dir.File("index.html", "html");
        dir.File("default.htm", "default");
        await using var host = await TestHost.StartAsync(new StaticFileHandler(dir.Path, new StaticFileOptions { DefaultDocuments = ["default.htm", "index.html"] }));

        using var response = await host.GetAsync("/");

        Assert.Equal("default", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("..")]
    public void Default_documents_must_be_plain_names(string name) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new StaticFileOptions { DefaultDocuments = [name] });

    [Fact]
    public void Cache_Control_must_not_split_the_response() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new StaticFileOptions { CacheControl = "public\r\nX: y" });

    [Fact]
    public async Task Other_methods_get_405_with_Allow()
    {
        using var response = await site.Host.SendAsync("/page.html", HttpMethod.Post);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["GET", "HEAD"], response.Content.Headers.Allow.Order());
    }

    [Fact]
    public async Task HEAD_sends_the_GET_headers_and_no_body()
    {
        var raw = await site.Host.RawAsync("HEAD /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", raw);
        Assert.Contains("Content-Length: 262144\r\n", raw);
        Assert.Contains("Accept-Ranges: bytes\r\n", raw);
        Assert.EndsWith("\r\n\r\n", raw);
    }

    [Fact]
    public async Task Files_above_64_KiB_go_through_sendfile_and_small_ones_do_not()
    {
        // A server of its own: SendFileCount is per server, and the fixture's server serves other tests in parallel.
        await using var host = await TestHost.StartAsync(new StaticFileHandler(site.Root));

        using var small = await host.GetAsync("/data.bin");
        Assert.Equal(0, host.Server.SendFileCount);

        using var big = await host.GetAsync("/big.bin");
        Assert.Equal(File.ReadAllBytes(Path.Combine(site.Root, "big.bin")), await big.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, host.Server.SendFileCount);
    }
}
