using System.Globalization;
using System.Text;

namespace HttpSysPS.Engine.Logging;

/// <summary>
/// The file a log writes into now, in one directory. Daily files are named <c>{prefix}yyMMdd.log</c> for their UTC day
/// (IIS: <c>u_ex250101.log</c>); size-rolled files <c>{prefix}{n}.log</c> with n counting up from 1 (HTTP.sys:
/// <c>httperr1.log</c>), continuing after the highest one already there. Each new file starts with the header lines.
/// A line goes into the file of its entry's own time (written a moment later by the background writer, it must not
/// slip into the next day's file). Used by one writer thread only.
/// </summary>
internal sealed class RollingLogFile : IDisposable
{
    private readonly string _directory;
    private readonly string _prefix;
    private readonly LogRollover _rollover;
    private readonly Func<DateTimeOffset, IEnumerable<string>> _header;
    private StreamWriter? _writer;
    private DateOnly _day;
    private long _bytes;
    private int _sequence;

    public RollingLogFile(string directory, string prefix, LogRollover rollover, Func<DateTimeOffset, IEnumerable<string>> header)
    {
        _directory = directory;
        _prefix = prefix;
        _rollover = rollover;
        _header = header;
    }

    /// <summary>The file written to now (null before the first line).</summary>
    public string? CurrentPath { get; private set; }

    /// <summary>Appends one line of an entry made at <paramref name="now"/>, opening the next file first when the rollover says so.</summary>
    public void WriteLine(DateTimeOffset now, StringBuilder line)
    {
        // Bytes are counted only where they decide the rollover.
        var length = _rollover.MaxFileBytes is null ? 0 : ByteCount(line) + 1;
        if (_writer is null || NeedsNewFile(now, length))
        {
            Open(now);
        }

        _writer!.Write(line);
        _writer.Write('\n');
        _bytes += length;
    }

    /// <summary>Pushes what was written to the file (the writer calls it whenever its queue runs empty).</summary>
    public void Flush() => _writer?.Flush();

    public void Dispose()
    {
        _writer?.Dispose();
        _writer = null;
    }

    private bool NeedsNewFile(DateTimeOffset now, int length) => _rollover.MaxFileBytes is { } max
        ? _bytes > 0 && _bytes + length > max
        : DateOnly.FromDateTime(now.UtcDateTime) != _day;

    private void Open(DateTimeOffset now)
    {
        _writer?.Dispose();
        Directory.CreateDirectory(_directory);
        _day = DateOnly.FromDateTime(now.UtcDateTime);
        string name;
        if (_rollover.MaxFileBytes is null)
        {
            name = $"{_prefix}{_day.ToString("yyMMdd", CultureInfo.InvariantCulture)}.log";
        }
        else
        {
            _sequence = _sequence == 0 ? HighestExistingSequence() + 1 : _sequence + 1;
            name = $"{_prefix}{_sequence.ToString(CultureInfo.InvariantCulture)}.log";
        }

        CurrentPath = Path.Combine(_directory, name);
        var stream = new FileStream(CurrentPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        _writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        _bytes = stream.Length;
        if (_bytes == 0)
        {
            foreach (var header in _header(now))
            {
                _writer.Write(header);
                _writer.Write('\n');
                _bytes += Encoding.UTF8.GetByteCount(header) + 1;
            }
        }
    }

    private static int ByteCount(StringBuilder line)
    {
        var count = 0;
        foreach (var chunk in line.GetChunks())
        {
            count += Encoding.UTF8.GetByteCount(chunk.Span);
        }

        return count;
    }

    private int HighestExistingSequence()
    {
        var highest = 0;
        foreach (var path in Directory.EnumerateFiles(_directory, _prefix + "*.log"))
        {
            var middle = Path.GetFileNameWithoutExtension(path)[_prefix.Length..];
            if (int.TryParse(middle, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > highest)
            {
                highest = n;
            }
        }

        return highest;
    }
}
