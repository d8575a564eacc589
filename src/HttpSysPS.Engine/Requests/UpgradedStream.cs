namespace HttpSysPS.Engine.Requests;

/// <summary>A connection's bytes both ways after a 101 (what a WebSocket runs on), whatever protocol switched.</summary>
internal abstract class UpgradedStream : AsyncDuplexStream
{
    /// <summary>Bytes written to the client since the switch (the log's sc-bytes).</summary>
    public abstract long BytesSent { get; }
}
