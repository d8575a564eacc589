namespace HttpSysPS.Engine.Http1;

/// <summary>What the head says about the message around it: body framing and connection persistence.</summary>
internal struct RequestFraming
{
    public HttpVersion Version;
    public bool KeepAlive;
    public bool Chunked;
    public long? ContentLength;
    public bool ExpectContinue;
    public bool IsHead;
    public string? AbsoluteFormHost;
    public string? UpgradeProtocol;

    public readonly bool HasBody => Chunked || ContentLength > 0;
}
