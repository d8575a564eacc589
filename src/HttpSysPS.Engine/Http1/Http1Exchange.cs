using HttpSysPS.Engine.Requests;

namespace HttpSysPS.Engine.Http1;

/// <summary>
/// What an HTTP/1.1 connection needs only while requests flow on it: the head reader and parser, the body reader, the
/// request lifecycle (request, response, context, cache step), the response writer and the output buffer — about 1.6 KiB
/// of objects. A busy connection keeps one for all its requests; a parked idle connection drops it and builds a new one
/// when the client speaks again, so ten thousand idle keep-alive connections hold none. It is never handed to another
/// connection: a handler that wrongly keeps a reference past its request can reach only its own client.
/// </summary>
internal sealed class Http1Exchange
{
    public Http1Exchange(Http1Connection connection, ServiceContext service)
    {
        Writer = new Http1ResponseWriter(connection, service);
        Lifecycle = new RequestLifecycle(service, connection, Writer);
        Writer.Bind(Lifecycle.Response, Lifecycle.Cache);
        BodyReader = new RequestBodyReader(connection);
        HeadReader = new Http1HeadReader(connection, service.Options.Limits);
    }

    public RequestLifecycle Lifecycle { get; }

    public Http1ResponseWriter Writer { get; }

    public RequestBodyReader BodyReader { get; }

    public Http1HeadReader HeadReader { get; }

    /// <summary>Response bytes waiting to be written (head, buffered body, chunk framing).</summary>
    public OutputBuffer Output { get; } = new();

    /// <summary>Gives back the pooled buffers and the open file the exchange holds (the connection parks or closes).</summary>
    public void Release()
    {
        Output.Clear();
        Writer.Release();
    }
}
