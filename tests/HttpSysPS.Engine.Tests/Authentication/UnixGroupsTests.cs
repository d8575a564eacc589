using HttpSysPS.Engine.Authentication;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Authentication;

/// <summary>The group lookup behind Basic's role claims, checked against what <c>id -Gn</c> says for the same account.</summary>
public class UnixGroupsTests
{
    [Fact]
    public async Task The_groups_of_a_local_account_are_those_id_reports_and_an_unknown_account_has_none()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Empty(UnixGroups.Of("root"));
            return;
        }

        var expected = (await ExternalProcess.RunAsync("id", ["-Gn", "root"])).EnsureSuccess("id -Gn root").Output.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(expected.Order(), UnixGroups.Of("root").Order());
        Assert.Empty(UnixGroups.Of("no-such-account-httpsysps"));
        Assert.Empty(UnixGroups.Of(""));
    }
}
