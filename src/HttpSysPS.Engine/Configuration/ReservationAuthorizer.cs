using HttpSysPS.Engine.Routing;

namespace HttpSysPS.Engine.Configuration;

/// <summary>The registration-time access check against the URL reservations currently in the config store (spec §2.2, §2.3).</summary>
internal sealed class ReservationAuthorizer : IPrefixAuthorizer
{
    private readonly Func<ServiceConfig> _config;
    private readonly ProcessIdentity _identity;

    public ReservationAuthorizer(Func<ServiceConfig> config, ProcessIdentity identity)
    {
        _config = config;
        _identity = identity;
    }

    public void EnsureCanRegister(UrlPrefix prefix) => AccessCheck.EnsureCanRegister(prefix, _identity, _config().UrlReservations);
}
