using HttpSysPS.Engine.Configuration;

namespace HttpSysPS.Engine.Tests.Configuration;

public class TimeoutLimitsTests
{
    [Fact]
    public void DefaultsAreHttpSysBuiltIns()
    {
        var d = TimeoutLimits.HttpSysDefaults;
        Assert.Equal([120L, 120, 120, 120, 120, 150], Enum.GetValues<TimeoutKind>().Select(d.Get));
        Assert.All(Enum.GetValues<TimeoutKind>(), k => Assert.Equal(0, TimeoutLimits.Inherit.Get(k)));
    }

    [Fact]
    public void ResolvePrefersListenerThenServiceWideThenDefault()
    {
        var service = new TimeoutLimits { IdleConnection = 30, HeaderWait = 20, MinSendBytesPerSecond = 500 };
        var listener = new TimeoutLimits { IdleConnection = 10, EntityBody = TimeoutLimits.DisabledSeconds };
        var effective = TimeoutLimits.Resolve(listener, service);
        Assert.Equal(10, effective.IdleConnection);
        Assert.Equal(20, effective.HeaderWait);
        Assert.Equal(500, effective.MinSendBytesPerSecond);
        Assert.Equal(TimeoutLimits.DisabledSeconds, effective.EntityBody);
        Assert.Equal(120, effective.RequestQueue);
        Assert.Equal(TimeoutLimits.HttpSysDefaults, TimeoutLimits.Resolve(null, null));
    }

    [Fact]
    public void GetTimeoutTurnsDisabledIntoNull()
    {
        var effective = TimeoutLimits.Resolve(new TimeoutLimits { HeaderWait = TimeoutLimits.DisabledSeconds, IdleConnection = 5 }, null);
        Assert.Null(effective.GetTimeout(TimeoutKind.HeaderWait));
        Assert.Equal(TimeSpan.FromSeconds(5), effective.GetTimeout(TimeoutKind.IdleConnection));
        Assert.Equal(TimeSpan.FromSeconds(120), TimeoutLimits.Inherit.GetTimeout(TimeoutKind.EntityBody));
        Assert.Throws<ArgumentOutOfRangeException>(() => effective.GetTimeout(TimeoutKind.MinSendBytesPerSecond));
    }

    [Fact]
    public void OutOfRangeSecondsNameTheTimerAndUnit()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new TimeoutLimits { HeaderWait = 65536 });
        Assert.Equal("HeaderWait", e.ParamName);
        Assert.Contains("0-65535 seconds", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentOutOfRangeException>(() => TimeoutLimits.Inherit.With(TimeoutKind.EntityBody, -1));
        Assert.Equal("EntityBody", e.ParamName);
    }

    [Fact]
    public void OutOfRangeRateNamesBytesPerSecond()
    {
        Assert.Equal(TimeoutLimits.DisabledMinSendRate, new TimeoutLimits { MinSendBytesPerSecond = 0xFFFFFFFF }.MinSendBytesPerSecond);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new TimeoutLimits { MinSendBytesPerSecond = 0x100000000 });
        Assert.Contains("bytes per second", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DescribeNamesInheritAndDisabled()
    {
        var t = new TimeoutLimits { IdleConnection = 0xFFFF, HeaderWait = 30, MinSendBytesPerSecond = 0xFFFFFFFF };
        Assert.Equal("disabled", t.Describe(TimeoutKind.IdleConnection));
        Assert.Equal("30", t.Describe(TimeoutKind.HeaderWait));
        Assert.Equal("inherit", t.Describe(TimeoutKind.EntityBody));
        Assert.Equal("disabled", t.Describe(TimeoutKind.MinSendBytesPerSecond));
    }
}
