namespace HttpSysPS.Engine.Handlers;

/// <summary>What a <see cref="Response"/> writes into: the protocol layer (HTTP/1.1 now, HTTP/2 later).</summary>
internal interface IResponseSink
{
    bool HasStarted { get; }

    /// <summary>
    /// Whether <see cref="Response.Body"/> may be written and flushed synchronously: the routed listener's
    /// <see cref="UrlGroupOptions.AllowSynchronousIO"/> for the current request (see <see cref="Request.AllowSynchronousIO"/>).
    /// A sink that does not track it allows it, as the engine did before the option existed.
    /// </summary>
    bool AllowSynchronousIO => true;

    long BodyBytesWritten { get; }

    ValueTask WriteBodyAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    ValueTask FlushAsync(CancellationToken cancellationToken);

    Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken);
}
