namespace HttpSysPS.Engine.Http1;

internal enum HttpVersion : byte
{
    Http10 = 10,
    Http11 = 11,
}
