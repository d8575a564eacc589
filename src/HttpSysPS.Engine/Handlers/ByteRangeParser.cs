namespace HttpSysPS.Engine.Handlers;

/// <summary>
/// Parses a <c>Range</c> header (RFC 9110 §14.1.2) against a representation length and produces the ranges to send.
/// </summary>
/// <remarks>
/// <para>Overlapping and adjacent ranges are coalesced (RFC 9110 §15.3.7.2 allows it regardless of order); when none
/// overlap, the parts keep the order the client asked for.</para>
/// <para>A header with more than <see cref="MaxRanges"/> range-specs is ignored and the whole representation is sent:
/// the same answer Apache gives past its MaxRanges (200), and RFC 9110 §14.2 lets a server ignore such a header.
/// Without a cap, thousands of tiny ranges turn one request into thousands of parts (the "Apache Killer" attack).</para>
/// <para>A zero-length representation ignores Range: nothing in it can be addressed, and a 200 with an empty body
/// is what the client can use.</para>
/// </remarks>
public static class ByteRangeParser
{
    /// <summary>Most range-specs honoured in one header; more means the header is ignored (Apache MaxRanges is 200).</summary>
    public const int MaxRanges = 200;

    /// <summary>Evaluates <paramref name="header"/> for a representation of <paramref name="length"/> bytes; <paramref name="ranges"/> receives the satisfiable ranges.</summary>
    public static RangeOutcome Parse(string? header, long length, List<ByteRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ranges.Clear();
        if (header is null || length == 0)
        {
            return RangeOutcome.Ignored;
        }

        var span = header.AsSpan().Trim(" \t");
        var eq = span.IndexOf('=');

        // Only the "bytes" unit is defined for files; any other unit is ignored (§14.2).
        if (eq < 0 || !span[..eq].Trim(" \t").Equals("bytes", StringComparison.OrdinalIgnoreCase))
        {
            return RangeOutcome.Ignored;
        }

        var specs = 0;
        var any = false;
        var rest = span[(eq + 1)..];
        while (!rest.IsEmpty)
        {
            var comma = rest.IndexOf(',');
            var spec = (comma < 0 ? rest : rest[..comma]).Trim(" \t");
            rest = comma < 0 ? default : rest[(comma + 1)..];
            if (spec.IsEmpty)
            {
                continue; // empty list elements are allowed (§5.6.1)
            }

            if (++specs > MaxRanges)
            {
                ranges.Clear();
                return RangeOutcome.Ignored;
            }

            any = true;
            if (!TryParseSpec(spec, length, out var range, out var satisfiable))
            {
                ranges.Clear();
                return RangeOutcome.Ignored; // one invalid range-spec makes the whole header invalid
            }

            if (satisfiable)
            {
                ranges.Add(range);
            }
        }

        if (!any)
        {
            return RangeOutcome.Ignored;
        }

        if (ranges.Count == 0)
        {
            return RangeOutcome.Unsatisfiable;
        }

        Coalesce(ranges);
        return RangeOutcome.Satisfiable;
    }

    private static bool TryParseSpec(ReadOnlySpan<char> spec, long length, out ByteRange range, out bool satisfiable)
    {
        range = default;
        satisfiable = false;
        var dash = spec.IndexOf('-');
        if (dash < 0)
        {
            return false;
        }

        var first = spec[..dash];
        var last = spec[(dash + 1)..];
        if (first.IsEmpty)
        {
            // suffix-range: the last N bytes; N = 0 is valid syntax but unsatisfiable (§14.1.3).
            if (!TryParseDigits(last, out var suffix))
            {
                return false;
            }

            if (suffix > 0)
            {
                var take = Math.Min(suffix, length);
                range = new ByteRange(length - take, take);
                satisfiable = true;
            }

            return true;
        }

        if (!TryParseDigits(first, out var start))
        {
            return false;
        }

        long end;
        if (last.IsEmpty)
        {
            end = length - 1;
        }
        else if (!TryParseDigits(last, out end) || end < start)
        {
            return false; // int-range with last-pos < first-pos is invalid (§14.1.1)
        }

        if (start >= length)
        {
            return true; // valid, unsatisfiable
        }

        end = Math.Min(end, length - 1); // a last-pos past the end means "to the end" (§14.1.2)
        range = new ByteRange(start, end - start + 1);
        satisfiable = true;
        return true;
    }

    private static bool TryParseDigits(ReadOnlySpan<char> digits, out long value)
    {
        value = 0;
        if (digits.IsEmpty)
        {
            return false;
        }

        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            // Positions beyond long.MaxValue cannot address any file; saturate rather than fail, so "bytes=0-99999999999999999999" means "to the end".
            value = value > (long.MaxValue - 9) / 10 ? long.MaxValue : (value * 10) + (c - '0');
        }

        return true;
    }

    private static void Coalesce(List<ByteRange> ranges)
    {
        if (ranges.Count < 2)
        {
            return;
        }

        var sorted = ranges.OrderBy(r => r.Start).ToList();
        var overlap = false;
        for (var i = 1; i < sorted.Count; i++)
        {
            // Adjacent ranges (end + 1 == next start) merge too: a separate part would only add boundary overhead.
            if (sorted[i].Start <= sorted[i - 1].End + 1)
            {
                overlap = true;
                break;
            }
        }

        if (!overlap)
        {
            return;
        }

        ranges.Clear();
        var current = sorted[0];
        for (var i = 1; i < sorted.Count; i++)
        {
            var next = sorted[i];
            if (next.Start <= current.End + 1)
            {
                var end = Math.Max(current.End, next.End);
                current = new ByteRange(current.Start, end - current.Start + 1);
            }
            else
            {
                ranges.Add(current);
                current = next;
            }
        }

        ranges.Add(current);
    }
}
