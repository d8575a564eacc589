namespace HttpSysPS.Engine.Http1;

/// <summary>Size limits on the request head, with HTTP.sys's registry defaults and ranges (spec §6.3).</summary>
public sealed record RequestLimits
{
    private readonly int _maxRequestBytes = 16384;
    private readonly int _maxFieldLength = 16384;
    private readonly int _urlSegmentMaxLength = 260;
    private readonly int _urlSegmentMaxCount = 255;

    /// <summary>Request line plus all headers, in bytes. HTTP.sys default (MaxRequestBytes): 16384; range 256–16777216.</summary>
    public int MaxRequestBytes
    {
        get => _maxRequestBytes;
        init => _maxRequestBytes = InRange(value, 256, 16_777_216, nameof(MaxRequestBytes), "bytes");
    }

    /// <summary>One header field, and the request-target, in bytes. HTTP.sys default (MaxFieldLength): 16384; range 64–65534.</summary>
    public int MaxFieldLength
    {
        get => _maxFieldLength;
        init => _maxFieldLength = InRange(value, 64, 65534, nameof(MaxFieldLength), "bytes");
    }

    /// <summary>Characters between two slashes of the decoded path. HTTP.sys default (UrlSegmentMaxLength): 260; 0 = unlimited.</summary>
    public int UrlSegmentMaxLength
    {
        get => _urlSegmentMaxLength;
        init => _urlSegmentMaxLength = InRange(value, 0, 32766, nameof(UrlSegmentMaxLength), "characters");
    }

    /// <summary>Path segments. HTTP.sys default (UrlSegmentMaxCount): 255; 0 = unlimited.</summary>
    public int UrlSegmentMaxCount
    {
        get => _urlSegmentMaxCount;
        init => _urlSegmentMaxCount = InRange(value, 0, 16383, nameof(UrlSegmentMaxCount), "segments");
    }

    private static int InRange(int value, int min, int max, string name, string unit) =>
        value < min || value > max
            ? throw new ArgumentOutOfRangeException(name, value, $"{name} must be between {min} and {max} {unit}.")
            : value;
}
