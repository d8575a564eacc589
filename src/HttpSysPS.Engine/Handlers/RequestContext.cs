namespace HttpSysPS.Engine.Handlers;

/// <summary>One request/response exchange, handed to an <see cref="IRequestHandler"/>.</summary>
public sealed class RequestContext
{
    private Dictionary<object, object?>? _items;

    internal RequestContext(Request request, Response response, UrlGroup listener)
    {
        Request = request;
        Response = response;
        Listener = listener;
    }

    /// <summary>The request.</summary>
    public Request Request { get; }

    /// <summary>The response.</summary>
    public Response Response { get; }

    /// <summary>The listener (URL group) the request was routed to.</summary>
    public UrlGroup Listener { get; internal set; }

    /// <summary>Fires when the server aborts the connection (see <see cref="IRequestHandler.HandleAsync"/> for client disconnects).</summary>
    public CancellationToken RequestAborted { get; internal set; }

    /// <summary>Per-request state a handler may keep.</summary>
    public IDictionary<object, object?> Items => _items ??= new Dictionary<object, object?>();

    internal void Reset() => _items = null;
}
