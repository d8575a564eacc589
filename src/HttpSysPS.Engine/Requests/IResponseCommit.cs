namespace HttpSysPS.Engine.Requests;

/// <summary>The protocol's response writer as the lifecycle drives it after the handler.</summary>
internal interface IResponseCommit
{
    /// <summary>True once the status and headers went out (or were committed to go out).</summary>
    bool HasStarted { get; }

    /// <summary>Body bytes the handler wrote.</summary>
    long BodyBytesWritten { get; }

    /// <summary>Waits for writes the handler started but did not await, so no buffer is reused under a send.</summary>
    ValueTask WhenWritesCompleteAsync();

    /// <summary>Drops the buffered (unsent) body after a handler failure.</summary>
    void DiscardBufferedBody();

    /// <summary>
    /// Commits what is left: the head when nothing went out yet (the response is then complete and its length known),
    /// the end of a chunked body, and any file send the handler queued. Throws <see cref="InvalidOperationException"/>
    /// before anything is written when the response is not valid (a Content-Length mismatch, CR/LF/NUL in a header).
    /// Returns false when the connection must close now.
    /// </summary>
    ValueTask<bool> CompleteAsync();
}
