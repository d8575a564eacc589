namespace HttpSysPS.Engine.Routing;

/// <summary>
/// The four host buckets of HTTP.sys routing, in the order they are consulted (spec §1.2).
/// The numeric order is the priority: a lower value wins.
/// </summary>
public enum HostCategory
{
    /// <summary><c>+</c>: any Host header, any local address.</summary>
    StrongWildcard = 0,

    /// <summary>A host name such as <c>www.contoso.com</c> or <c>localhost</c>: compared with the Host header only.</summary>
    Explicit = 1,

    /// <summary>An IP literal such as <c>10.0.0.4</c> or <c>[::1]</c>: any Host header, but only on that local address.</summary>
    IPBound = 2,

    /// <summary><c>*</c>: the fallback for any Host header not matched by the other buckets.</summary>
    WeakWildcard = 3,
}
