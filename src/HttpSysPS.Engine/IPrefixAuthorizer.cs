using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Engine;

/// <summary>The registration-time access check (HTTP.sys: URL reservations decide who may listen where).</summary>
public interface IPrefixAuthorizer
{
    /// <summary>Throws <see cref="HttpSysException"/> with <see cref="HttpSysErrorReason.AccessDenied"/> when the prefix may not be registered.</summary>
    void EnsureCanRegister(UrlPrefix prefix);
}
