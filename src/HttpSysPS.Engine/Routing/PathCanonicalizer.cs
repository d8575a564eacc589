using System.Buffers;
using System.Globalization;
using System.Text;

namespace HttpSysPS.Engine.Routing;

/// <summary>
/// Turns a raw request path into HTTP.sys's "cooked" path used for routing (spec §1.4).
/// </summary>
/// <remarks>
/// Steps, in HTTP.sys order: percent-decode (including <c>%2F</c> to '/', and <c>%uNNNN</c>, which HTTP.sys accepts
/// by default), rejecting malformed escapes, non-UTF-8 bytes and escapes that decode to control characters;
/// then '\' becomes '/'; then runs of '/' collapse before dot segments are resolved, so the empty segment of
/// <c>//</c> is never what a '..' removes: <c>/base/call//../ball</c> routes as <c>/base/ball</c> (ASP.NET's
/// functional test Request_WithPathBase: that request reaches a <c>/base/ball/</c> registration); then '.' and '..'
/// segments are resolved, never climbing above the root. Raw ASCII control characters are rejected too
/// (RFC 9112 §3.2: a request-target has none), in case the request-line parser let one through.
/// Deliberate deviation: HTTP.sys passes some overlong UTF-8 escapes through undecoded; we reject every
/// malformed UTF-8 sequence, which can only make us stricter.
/// </remarks>
public static class PathCanonicalizer
{
    /// <summary>As <see cref="TryCanonicalize(ReadOnlySpan{char}, out string, out UrlRejection)"/>, returning <paramref name="rawPath"/> itself when it is already canonical (no allocation on the common path).</summary>
    public static bool TryCanonicalize(string rawPath, out string cooked, out UrlRejection reason)
    {
        if (rawPath.Length > 0 && rawPath[0] == '/' && IsAlreadyCanonical(rawPath))
        {
            cooked = rawPath;
            reason = UrlRejection.None;
            return true;
        }

        return TryCanonicalize(rawPath.AsSpan(), out cooked, out reason);
    }

    /// <summary>Canonicalises <paramref name="rawPath"/> (the request-target up to '?'); false with a reason when it must be rejected.</summary>
    public static bool TryCanonicalize(ReadOnlySpan<char> rawPath, out string cooked, out UrlRejection reason)
    {
        cooked = "/";
        if (rawPath.IsEmpty || (rawPath[0] != '/' && rawPath[0] != '\\'))
        {
            reason = UrlRejection.NotAbsolute;
            return false;
        }

        // Fast path: nothing to decode or resolve — the common case for real traffic.
        if (IsAlreadyCanonical(rawPath))
        {
            cooked = rawPath.ToString();
            reason = UrlRejection.None;
            return true;
        }

        var decoded = ArrayPool<char>.Shared.Rent(rawPath.Length);
        try
        {
            if (!TryDecode(rawPath, decoded, out var length, out reason))
            {
                return false;
            }

            cooked = Resolve(decoded.AsSpan(0, length));
            return true;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(decoded);
        }
    }

    private static bool IsAlreadyCanonical(ReadOnlySpan<char> path)
    {
        var previous = '\0';
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c is '%' or '\\' || c > 0x7E || c < 0x20)
            {
                return false;
            }

            if (c == '/' && previous == '/')
            {
                return false;
            }

            if (c == '.' && previous == '/')
            {
                return false;
            }

            previous = c;
        }

        return true;
    }

    private static bool TryDecode(ReadOnlySpan<char> raw, Span<char> output, out int written, out UrlRejection reason)
    {
        written = 0;
        Span<byte> pending = stackalloc byte[4];
        var pendingCount = 0;
        var pendingNeeded = 0;

        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c != '%')
            {
                if (pendingCount > 0)
                {
                    reason = UrlRejection.InvalidUtf8;
                    return false;
                }

                if (c < 0x20 || c == 0x7F)
                {
                    reason = UrlRejection.RestrictedCharacter;
                    return false;
                }

                output[written++] = c;
                continue;
            }

            if (i + 1 < raw.Length && (raw[i + 1] is 'u' or 'U'))
            {
                // %uNNNN: HTTP.sys PercentUAllowed=1 by default.
                if (pendingCount > 0 || raw.Length - i - 2 < 4 ||
                    !ushort.TryParse(raw.Slice(i + 2, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var unit))
                {
                    reason = UrlRejection.MalformedEscape;
                    return false;
                }

                if (char.IsSurrogate((char)unit))
                {
                    reason = UrlRejection.InvalidUtf8;
                    return false;
                }

                if (IsRestricted((char)unit))
                {
                    reason = UrlRejection.RestrictedCharacter;
                    return false;
                }

                output[written++] = (char)unit;
                i += 5;
                continue;
            }

            if (i + 2 >= raw.Length || !IsHex(raw[i + 1]) || !IsHex(raw[i + 2]))
            {
                reason = UrlRejection.MalformedEscape;
                return false;
            }

            var b = (byte)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2]));
            i += 2;

            if (pendingCount == 0)
            {
                if (b < 0x80)
                {
                    if (IsRestricted((char)b))
                    {
                        reason = UrlRejection.RestrictedCharacter;
                        return false;
                    }

                    output[written++] = (char)b;
                    continue;
                }

                pendingNeeded = b switch
                {
                    >= 0xC2 and <= 0xDF => 2,
                    >= 0xE0 and <= 0xEF => 3,
                    >= 0xF0 and <= 0xF4 => 4,
                    _ => 0,
                };
                if (pendingNeeded == 0)
                {
                    reason = UrlRejection.InvalidUtf8;
                    return false;
                }
            }

            pending[pendingCount++] = b;
            if (pendingCount == pendingNeeded)
            {
                // The strict decoder rejects overlong forms, surrogates and out-of-range scalars.
                if (Rune.DecodeFromUtf8(pending[..pendingCount], out var rune, out var consumed) != OperationStatus.Done || consumed != pendingCount)
                {
                    reason = UrlRejection.InvalidUtf8;
                    return false;
                }

                if (rune.IsBmp && IsRestricted((char)rune.Value))
                {
                    reason = UrlRejection.RestrictedCharacter;
                    return false;
                }

                written += rune.EncodeToUtf16(output[written..]);
                pendingCount = 0;
            }
        }

        if (pendingCount > 0)
        {
            reason = UrlRejection.InvalidUtf8;
            return false;
        }

        reason = UrlRejection.None;
        return true;
    }

    private static string Resolve(ReadOnlySpan<char> decoded)
    {
        // Segments after '\'→'/' and '//' collapsing; '.' dropped, '..' pops (never above the root).
        var segments = new List<Range>();
        var text = decoded.ToString().Replace('\\', '/');
        var trailingSlash = text.EndsWith('/');
        var start = 1;
        for (var i = 1; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] != '/')
            {
                continue;
            }

            var segment = text.AsSpan(start, i - start);
            if (segment.IsEmpty || segment.SequenceEqual("."))
            {
                if (i == text.Length && !segment.IsEmpty)
                {
                    trailingSlash = true;
                }
            }
            else if (segment.SequenceEqual(".."))
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }

                if (i == text.Length)
                {
                    trailingSlash = true;
                }
            }
            else
            {
                segments.Add(new Range(start, i));
            }

            start = i + 1;
        }

        var builder = new StringBuilder(text.Length);
        foreach (var range in segments)
        {
            builder.Append('/').Append(text.AsSpan()[range]);
        }

        if (builder.Length == 0 || trailingSlash)
        {
            builder.Append('/');
        }

        return builder.ToString();
    }

    private static bool IsRestricted(char c) => c < 0x20 || (c >= 0x7F && c <= 0x9F);

    private static bool IsHex(char c) => char.IsAsciiHexDigit(c);

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
