namespace HttpSysPS.Engine.Handlers;

/// <summary>What a <see cref="Response"/> writes into: the protocol layer (HTTP/1.1 now, HTTP/2 later).</summary>
internal interface IResponseSink
{
    bool HasStarted { get; }

    long BodyBytesWritten { get; }

    ValueTask WriteBodyAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken);

    ValueTask FlushAsync(CancellationToken cancellationToken);

    Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken);
}
