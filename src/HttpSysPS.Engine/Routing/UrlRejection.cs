namespace HttpSysPS.Engine.Routing;

/// <summary>Why a request path cannot be canonicalised for routing. Each maps to <c>400 Bad Request - Invalid URL</c>.</summary>
public enum UrlRejection
{
    /// <summary>The path is acceptable.</summary>
    None = 0,

    /// <summary>A '%' not followed by two hex digits (or <c>%u</c> and four).</summary>
    MalformedEscape,

    /// <summary>Percent-escaped bytes that are not well-formed UTF-8 (including overlong forms).</summary>
    InvalidUtf8,

    /// <summary>An escape that decodes to U+0000–U+001F or U+007F–U+009F (HTTP.sys <c>AllowRestrictedChars</c>=0).</summary>
    RestrictedCharacter,

    /// <summary>The path does not start with '/'.</summary>
    NotAbsolute,
}
