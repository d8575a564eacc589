namespace HttpSysPS.Engine.Http1;

/// <summary>
/// The chunk extensions after a chunk size, checked against RFC 9112 §7.1.1 and otherwise ignored:
/// <c>chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )</c>, a name is a token, a value a token
/// or a quoted-string. Whitespace is allowed only where the grammar puts BWS, so <c>5 ;a=b</c> is accepted (BWS before
/// the semicolon) but a size or extension followed by whitespace and nothing else (<c>5 </c>, <c>5;a=b </c>) is not:
/// lenient chunk-line parsing is a request-smuggling vector when a proxy in front reads the line differently.
/// </summary>
internal static class ChunkExtensionSyntax
{
    /// <summary>True when <paramref name="text"/> (everything after the hexadecimal size, CRLF excluded) is zero or more chunk extensions.</summary>
    public static bool IsValid(ReadOnlySpan<byte> text)
    {
        var i = 0;
        while (i < text.Length)
        {
            i = SkipWhitespace(text, i);
            if (i == text.Length || text[i] != (byte)';')
            {
                return false;
            }

            i = SkipWhitespace(text, i + 1);
            var nameEnd = TokenEnd(text, i);
            if (nameEnd == i)
            {
                return false;
            }

            i = nameEnd;
            var equals = SkipWhitespace(text, i);
            if (equals < text.Length && text[equals] == (byte)'=')
            {
                var valueStart = SkipWhitespace(text, equals + 1);
                i = valueStart < text.Length && text[valueStart] == (byte)'"'
                    ? QuotedStringEnd(text, valueStart)
                    : TokenEnd(text, valueStart);
                if (i <= valueStart)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> text, int i)
    {
        while (i < text.Length && text[i] is (byte)' ' or (byte)'\t')
        {
            i++;
        }

        return i;
    }

    private static int TokenEnd(ReadOnlySpan<byte> text, int i)
    {
        var length = text[i..].IndexOfAnyExcept(HttpTokens.Chars);
        return length < 0 ? text.Length : i + length;
    }

    /// <summary>The index after the closing quote of the quoted-string at <paramref name="start"/>, or -1 (RFC 9110 §5.6.4).</summary>
    private static int QuotedStringEnd(ReadOnlySpan<byte> text, int start)
    {
        for (var i = start + 1; i < text.Length; i++)
        {
            var b = text[i];
            if (b == (byte)'"')
            {
                return i + 1;
            }

            if (b == (byte)'\\')
            {
                // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
                i++;
                if (i == text.Length || (!IsQuotedText(text[i]) && text[i] != (byte)'"' && text[i] != (byte)'\\'))
                {
                    return -1;
                }
            }
            else if (!IsQuotedText(b))
            {
                return -1;
            }
        }

        return -1;
    }

    /// <summary>qdtext: HTAB, SP, visible ASCII other than DQUOTE and backslash, and obs-text; no other controls, no DEL.</summary>
    private static bool IsQuotedText(byte b) => b == (byte)'\t' || (b >= 0x20 && b != 0x7F && b != (byte)'"' && b != (byte)'\\');
}
