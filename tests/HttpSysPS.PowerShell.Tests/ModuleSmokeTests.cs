using HttpSysPS.PowerShell.Tests.Infrastructure;

namespace HttpSysPS.PowerShell.Tests;

public sealed class ModuleSmokeTests : IDisposable
{
    private readonly ModuleSession _session = new();

    public void Dispose() => _session.Dispose();

    [Fact]
    public void ImportsTheStagedModuleWithItsCmdlets()
    {
        var names = _session.Run("(Get-Module HttpSysPS).ExportedCmdlets.Keys | Sort-Object").Output.Select(o => (string)o.BaseObject).ToArray();
        Assert.Contains("New-HttpSysListener", names);
        Assert.Contains("Add-UrlReservation", names);
    }
}
