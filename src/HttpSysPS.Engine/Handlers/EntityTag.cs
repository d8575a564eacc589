namespace HttpSysPS.Engine.Handlers;

/// <summary>
/// An entity tag (RFC 9110 §8.8.3): an opaque quoted string, optionally marked weak (<c>W/"..."</c>).
/// </summary>
public readonly record struct EntityTag
{
    /// <summary>Creates a tag from its opaque part (without quotes).</summary>
    public EntityTag(string opaqueTag, bool isWeak = false)
    {
        ArgumentNullException.ThrowIfNull(opaqueTag);
        if (opaqueTag.AsSpan().IndexOfAny('"', '\r', '\n') >= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(opaqueTag), opaqueTag, "An entity tag must not contain a double quote, CR or LF.");
        }

        OpaqueTag = opaqueTag;
        IsWeak = isWeak;
    }

    /// <summary>The characters between the quotes.</summary>
    public string OpaqueTag { get; }

    /// <summary>True for a weak validator.</summary>
    public bool IsWeak { get; }

    /// <summary>Strong comparison (RFC 9110 §8.8.3.2): both strong and the same opaque tag. Used by If-Match and If-Range.</summary>
    public bool StrongEquals(EntityTag other) => !IsWeak && !other.IsWeak && string.Equals(OpaqueTag, other.OpaqueTag, StringComparison.Ordinal);

    /// <summary>Weak comparison: the same opaque tag, weakness ignored. Used by If-None-Match.</summary>
    public bool WeakEquals(EntityTag other) => string.Equals(OpaqueTag, other.OpaqueTag, StringComparison.Ordinal);

    /// <summary>The header form: <c>"tag"</c> or <c>W/"tag"</c>.</summary>
    public override string ToString() => IsWeak ? $"W/\"{OpaqueTag}\"" : $"\"{OpaqueTag}\"";

    /// <summary>Parses one entity tag (the ETag or If-Range form); false when the text is not exactly one tag.</summary>
    public static bool TryParse(string? text, out EntityTag tag)
    {
        tag = default;
        if (text is null)
        {
            return false;
        }

        var span = text.AsSpan().Trim(" \t");
        var position = 0;
        return TryParseAt(span, ref position, out tag) && position == span.Length;
    }

    /// <summary>
    /// Parses an If-Match / If-None-Match value: <c>*</c> or a comma-separated list of tags. An opaque tag may itself
    /// contain commas, so the list is scanned, not split. False when the value is malformed (callers then treat the
    /// condition as not matched).
    /// </summary>
    internal static bool TryParseList(string value, List<EntityTag> tags, out bool isWildcard)
    {
        isWildcard = false;
        var span = value.AsSpan().Trim(" \t");
        if (span is "*")
        {
            isWildcard = true;
            return true;
        }

        var position = 0;
        while (true)
        {
            // RFC 9110 §5.6.1: empty list elements and optional whitespace around commas are allowed.
            while (position < span.Length && span[position] is ' ' or '\t' or ',')
            {
                position++;
            }

            if (position == span.Length)
            {
                return tags.Count > 0;
            }

            if (!TryParseAt(span, ref position, out var tag))
            {
                return false;
            }

            tags.Add(tag);
            while (position < span.Length && span[position] is ' ' or '\t')
            {
                position++;
            }

            if (position < span.Length && span[position] != ',')
            {
                return false;
            }
        }
    }

    private static bool TryParseAt(ReadOnlySpan<char> span, ref int position, out EntityTag tag)
    {
        tag = default;
        var weak = false;
        var p = position;
        if (span[p..].StartsWith("W/", StringComparison.Ordinal))
        {
            weak = true;
            p += 2;
        }

        if (p >= span.Length || span[p] != '"')
        {
            return false;
        }

        var close = span[(p + 1)..].IndexOf('"');
        if (close < 0)
        {
            return false;
        }

        var opaque = span.Slice(p + 1, close);
        foreach (var c in opaque)
        {
            // etagc = %x21 / %x23-7E / obs-text
            if (c < 0x21 || c == 0x7F)
            {
                return false;
            }
        }

        tag = new EntityTag(opaque.ToString(), weak);
        position = p + close + 2;
        return true;
    }
}
