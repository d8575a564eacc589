namespace HttpSysPS.Engine.Routing;

/// <summary>What <see cref="PrefixTable{TTarget}"/> decided for one request (spec §1.5; rules in docs/routing.md).</summary>
public enum RouteOutcome
{
    /// <summary>A live registration won; deliver the request to its target.</summary>
    Matched = 0,

    /// <summary>
    /// 400 "Bad Request - Invalid Hostname": the Host header is malformed, or no registration or reservation
    /// for this scheme and port (or socket) matches the host at all.
    /// </summary>
    InvalidHostname = 1,

    /// <summary>404 "Not Found": some entry matches the host (a "site" exists) but no prefix path covers the request path.</summary>
    NotFound = 2,

    /// <summary>503 "Service Unavailable": the winning entry is a reservation with no live registration (it black-holes the request).</summary>
    Unavailable = 3,
}
