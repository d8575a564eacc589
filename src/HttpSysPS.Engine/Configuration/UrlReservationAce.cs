namespace HttpSysPS.Engine.Configuration;

/// <summary>One access entry of a <see cref="UrlReservation"/>: a principal and its rights, as netsh prints per user.</summary>
/// <param name="Principal">Who is granted.</param>
/// <param name="Listen">May register (listen on) prefixes under the reservation. netsh default: yes.</param>
/// <param name="Delegate">May create or delete reservations below this one for others. netsh default: no.</param>
public sealed record UrlReservationAce(Principal Principal, bool Listen = true, bool Delegate = false)
{
    /// <summary>Who is granted.</summary>
    public Principal Principal { get; } = Principal ?? throw new ArgumentNullException(nameof(Principal));
}
