namespace HttpSysPS.Engine.Diagnostics;

/// <summary>
/// The <c>http.request.method</c> attribute as OpenTelemetry's semantic conventions give it: the known methods as
/// sent, anything else <c>_OTHER</c>, so a client cannot grow the number of time series by inventing methods.
/// </summary>
internal static class HttpMethodTag
{
    public static string Of(string method) => method switch
    {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "DELETE" => "DELETE",
        "CONNECT" => "CONNECT",
        "OPTIONS" => "OPTIONS",
        "TRACE" => "TRACE",
        "PATCH" => "PATCH",
        _ => "_OTHER",
    };
}
