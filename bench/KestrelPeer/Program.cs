// Kestrel benchmark peer for bench/run.sh: the same two endpoints our server serves, and nothing else.
//   GET /plaintext      -> "Hello, World!" (text/plain, Content-Length 13)
//   GET /static/<file>  -> files under --root DIR (StaticFileMiddleware over a PhysicalFileProvider)
// Usage: dotnet KestrelPeer.dll --urls http://127.0.0.1:PORT --root DIR
using System.Text;
using Microsoft.Extensions.FileProviders;

var builder = WebApplication.CreateSlimBuilder(args);

// Logging off: the bench measures the server, not the console. Our server runs with --quiet for the same reason.
builder.Logging.ClearProviders();

var root = builder.Configuration["root"]
    ?? throw new ArgumentException("--root <directory> is required (the directory served under /static/).", nameof(args));

var app = builder.Build();

byte[] hello = Encoding.ASCII.GetBytes("Hello, World!");

// Plaintext as a terminal inline middleware with an exact path check: what the TechEmpower "platform" Kestrel
// entry does. It is the cheapest idiomatic form (no endpoint routing, no RequestDelegate factory, no result
// serialisation) and mirrors our compiled IRequestHandler, which also receives the request with no routing layer
// beyond prefix matching. MapGet would add endpoint routing; that would handicap Kestrel, not us.
app.Use((context, next) =>
{
    if (!context.Request.Path.Equals("/plaintext", StringComparison.Ordinal))
    {
        return next(context);
    }

    var response = context.Response;
    response.StatusCode = 200;
    response.ContentType = "text/plain";
    response.ContentLength = hello.Length;
    return response.Body.WriteAsync(hello, 0, hello.Length);
});

app.UseStaticFiles(new StaticFileOptions
{
    FileProvider = new PhysicalFileProvider(Path.GetFullPath(root)),
    RequestPath = "/static",
});

// Everything else: 404 (the slim builder's default terminal behaviour, stated for clarity).
app.Run(context =>
{
    context.Response.StatusCode = 404;
    return Task.CompletedTask;
});

app.Run();
