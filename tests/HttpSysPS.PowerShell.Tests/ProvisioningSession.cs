using HttpSysPS.PowerShell.Tests.Infrastructure;

namespace HttpSysPS.PowerShell.Tests;

/// <summary>
/// One <see cref="ModuleSession"/> per provisioning test class (importing the module per test costs more than the
/// tests). A wrapper because xunit needs a fixture with exactly one public constructor. Safe to share: the tests of
/// one class run one at a time, and each passes its own store as an argument, never through session state.
/// </summary>
public sealed class ProvisioningSession : IDisposable
{
    /// <summary>The shared session.</summary>
    public ModuleSession Session { get; } = new();

    public void Dispose() => Session.Dispose();
}
