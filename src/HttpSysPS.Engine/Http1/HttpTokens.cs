using System.Buffers;

namespace HttpSysPS.Engine.Http1;

/// <summary>The <c>tchar</c> set of RFC 9110 §5.6.2: methods, field names and chunk-extension names are tokens.</summary>
internal static class HttpTokens
{
    public static readonly SearchValues<byte> Chars =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);
}
