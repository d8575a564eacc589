using System.Globalization;

namespace HttpSysPS.Engine.Logging;

/// <summary>
/// When a log file is closed and the next one begins, as IIS and HTTP.sys roll them: at midnight UTC
/// (<see cref="Daily"/>), or when a file would grow past <see cref="MaxFileBytes"/> (<see cref="BySize"/>).
/// </summary>
public sealed record LogRollover
{
    private LogRollover(long? maxFileBytes) => MaxFileBytes = maxFileBytes;

    /// <summary>A new file each UTC day (IIS's default for access logs).</summary>
    public static LogRollover Daily { get; } = new((long?)null);

    /// <summary>The size limit of one file, or null for <see cref="Daily"/>.</summary>
    public long? MaxFileBytes { get; }

    /// <summary>A new file whenever the current one would pass <paramref name="maxFileBytes"/> (at least 1 KiB).</summary>
    public static LogRollover BySize(long maxFileBytes) =>
        maxFileBytes >= 1024 ? new LogRollover(maxFileBytes) : throw new ArgumentOutOfRangeException(nameof(maxFileBytes), maxFileBytes, "A log file must be allowed at least 1024 bytes.");

    /// <summary>Parses <c>daily</c> or <c>size:N</c> (N in bytes, with an optional K, M or G suffix).</summary>
    public static LogRollover Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Equals("daily", StringComparison.OrdinalIgnoreCase))
        {
            return Daily;
        }

        if (text.StartsWith("size:", StringComparison.OrdinalIgnoreCase))
        {
            var size = text[5..];
            var multiplier = size.Length > 0 ? char.ToUpperInvariant(size[^1]) switch { 'K' => 1024L, 'M' => 1024L * 1024, 'G' => 1024L * 1024 * 1024, _ => 1L } : 1L;
            var digits = multiplier == 1 ? size : size[..^1];
            if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= long.MaxValue / multiplier && n * multiplier >= 1024)
            {
                return BySize(n * multiplier);
            }
        }

        throw new FormatException($"'{text}' is not a log rollover: use 'daily' or 'size:N' (N bytes, at least 1024; K, M or G suffix allowed).");
    }

    public override string ToString() => MaxFileBytes is { } bytes ? $"size:{bytes}" : "daily";
}
