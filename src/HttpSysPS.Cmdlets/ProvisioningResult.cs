namespace HttpSysPS.Cmdlets;

/// <summary>
/// What a provisioning cmdlet did, written with <c>-PassThru</c> by Add-/Remove-UrlReservation, Set-/Remove-SslBinding
/// and Set-HttpSysTimeout. Idempotent provisioning (Ansible <c>win_shell</c>, a DSC script resource) reports
/// "changed" from <see cref="Changed"/> instead of guessing it from the output (contract: docs/provisioning.md).
/// </summary>
/// <remarks>
/// Plain strings rather than enums for <see cref="Kind"/> and <see cref="Action"/>, so <c>ConvertTo-Json</c> writes the
/// names a playbook matches on without <c>-EnumsAsStrings</c>.
/// </remarks>
public sealed class ProvisioningResult
{
    internal ProvisioningResult(string kind, string action, string target, bool changed, object? item, IReadOnlyList<string> warnings)
    {
        Kind = kind;
        Action = action;
        Target = target;
        Changed = changed;
        Item = item;
        Warnings = [.. warnings];
    }

    /// <summary>What was provisioned, the cmdlet's noun: <c>UrlReservation</c>, <c>SslBinding</c> or <c>HttpSysTimeout</c>.</summary>
    public string Kind { get; }

    /// <summary>The cmdlet's verb: <c>Add</c>, <c>Set</c> or <c>Remove</c>.</summary>
    public string Action { get; }

    /// <summary>
    /// What was targeted, normalised as the store keeps it: the reservation URL (<c>http://+:8080/</c>), the binding key
    /// (<c>0.0.0.0:443</c>), or the timers named, comma-separated (<c>IdleConnection, HeaderWait</c>).
    /// </summary>
    public string Target { get; }

    /// <summary>True when the store was rewritten; false when it already held the requested state (nothing written).</summary>
    public bool Changed { get; }

    /// <summary>
    /// The resulting item: the <c>UrlReservation</c> or <c>SslBinding</c> as now stored, or the stored <c>TimeoutLimits</c>;
    /// null after a removal.
    /// </summary>
    public object? Item { get; }

    /// <summary>Non-fatal findings (e.g. an expired certificate), also written to the warning stream; empty when none.</summary>
    public string[] Warnings { get; }
}
