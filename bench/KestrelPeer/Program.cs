// Kestrel benchmark peer for bench/run.sh: the same two endpoints our server serves, and nothing else.
//   GET /plaintext      -> "Hello, World!" (text/plain, Content-Length 13)
//   GET /static/<file>  -> files under --root DIR (StaticFileMiddleware over a PhysicalFileProvider)
//   GET /cached/catalog, /uncached/catalog -> the ~4 KiB JSON of samples/HelloHandler/CatalogDocument.cs, built per
//                          request (Kestrel has no server-side response cache by default: both rows run the handler)
//   /ws/                -> a WebSocket echo (UseWebSockets), the same loop as samples/HelloHandler/EchoWebSocketHandler.cs
// Usage: dotnet KestrelPeer.dll --urls http://127.0.0.1:PORT --root DIR
//        dotnet KestrelPeer.dll --urls https://127.0.0.1:PORT --root DIR --cert cert.pem --key key.pem
// With --cert/--key, https:// URLs serve that PEM pair (the same files our server's SSL binding names), HTTP/1.1 only:
// our server offers only http/1.1 in ALPN, so both sides run the same protocol.
using System.Buffers;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.FileProviders;

var builder = WebApplication.CreateSlimBuilder(args);

// Logging off: the bench measures the server, not the console. Our server runs with --quiet for the same reason.
builder.Logging.ClearProviders();

if (builder.Configuration["cert"] is { } certFile)
{
    var keyFile = builder.Configuration["key"] ?? throw new ArgumentException("--cert needs --key (the PEM private key).", nameof(args));
    var certificate = X509Certificate2.CreateFromPemFile(certFile, keyFile);

    // The slim builder leaves out HTTPS address binding; this brings it back for https:// in --urls.
    builder.WebHost.UseKestrelHttpsConfiguration();
    builder.WebHost.ConfigureKestrel(kestrel =>
    {
        kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http1);
        kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
    });
}

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

// The cacheable dynamic response, same work and headers as our CatalogHandler. Kestrel answers both paths by running
// it: ASP.NET Core's OutputCache/ResponseCaching middlewares are opt-in, and an app that does not add them gets this.
app.Use((context, next) =>
{
    var path = context.Request.Path;
    if (!path.Equals("/cached/catalog", StringComparison.Ordinal) && !path.Equals("/uncached/catalog", StringComparison.Ordinal))
    {
        return next(context);
    }

    var body = new ArrayBufferWriter<byte>(4096);
    HelloHandler.CatalogDocument.Write(body);
    var response = context.Response;
    response.StatusCode = 200;
    response.ContentType = "application/json; charset=utf-8";
    response.Headers.CacheControl = "public, max-age=60";
    response.ContentLength = body.WrittenCount;
    return response.Body.WriteAsync(body.WrittenMemory).AsTask();
});

// The WebSocket echo of bench/websocket.sh: UseWebSockets and the loop of our sample EchoWebSocketHandler, line for
// line (a pooled 4 KiB buffer per socket, each received piece sent back with its end-of-message flag).
app.UseWebSockets();
app.Use(async (context, next) =>
{
    if (!context.Request.Path.StartsWithSegments("/ws", StringComparison.Ordinal))
    {
        await next(context);
        return;
    }

    if (!context.WebSockets.IsWebSocketRequest)
    {
        context.Response.StatusCode = 400;
        return;
    }

    using var socket = await context.WebSockets.AcceptWebSocketAsync();
    var buffer = ArrayPool<byte>.Shared.Rent(4096);
    try
    {
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
            if (received.MessageType == System.Net.WebSockets.WebSocketMessageType.Close)
            {
                if (socket.State == System.Net.WebSockets.WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(socket.CloseStatus ?? System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }

                return;
            }

            await socket.SendAsync(buffer.AsMemory(0, received.Count), received.MessageType, received.EndOfMessage, CancellationToken.None);
        }
    }
    finally
    {
        ArrayPool<byte>.Shared.Return(buffer);
    }
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
