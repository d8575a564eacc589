using HttpSysPS.Engine.Logging;

namespace HttpSysPS.Engine.Tests.Logging;

public sealed class LogSettingsTests
{
    [Theory]
    [InlineData("daily", null)]
    [InlineData("DAILY", null)]
    [InlineData("size:2048", 2048L)]
    [InlineData("size:64K", 65536L)]
    [InlineData("size:10M", 10485760L)]
    [InlineData("size:1G", 1073741824L)]
    public void Rollover_parses_daily_and_sizes(string text, long? bytes)
    {
        var rollover = LogRollover.Parse(text);
        Assert.Equal(bytes, rollover.MaxFileBytes);
        Assert.Equal(rollover, LogRollover.Parse(rollover.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("hourly")]
    [InlineData("size:")]
    [InlineData("size:100")]
    [InlineData("size:-5M")]
    [InlineData("size:1T")]
    [InlineData("size:99999999999999999999G")]
    public void Rollover_refuses_anything_else(string text) => Assert.Throws<FormatException>(() => LogRollover.Parse(text));

    [Fact]
    public void Fields_parse_in_the_given_order_and_refuse_unknown_or_repeated_names()
    {
        Assert.Equal(["time", "cs-method", "sc-status"], W3CLogFields.Parse("time, CS-METHOD  sc-status").Names);
        Assert.Throws<FormatException>(() => W3CLogFields.Parse("date cs(User-Agent)"));
        Assert.Throws<FormatException>(() => W3CLogFields.Parse("date date"));
        Assert.Throws<FormatException>(() => W3CLogFields.Parse(" , "));
        Assert.All(W3CLogFields.Default.Names, n => Assert.Contains(n, W3CLogFields.Supported));
    }

    [Theory]
    [InlineData(null, "-")]
    [InlineData("", "-")]
    [InlineData("a b", "a+b")]
    [InlineData("x\r\n#Fields: forged", "x??#Fields:+forged")]
    public void A_field_value_stays_one_field_on_one_line(string? value, string written)
    {
        var line = new System.Text.StringBuilder();
        W3CLogFormat.AppendValue(line, value);
        Assert.Equal(written, line.ToString());
    }
}
