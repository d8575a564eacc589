using System.Text;
using HttpSysPS.Engine.Logging;
using HttpSysPS.Engine.Tests.Infrastructure;

namespace HttpSysPS.Engine.Tests.Logging;

public sealed class RollingLogFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Daily_files_follow_the_UTC_day_of_each_line_and_each_starts_with_the_header()
    {
        var day = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using (var file = new RollingLogFile(_dir.Path, "u_ex", LogRollover.Daily, _ => ["#Fields: x"]))
        {
            file.WriteLine(day, new StringBuilder("one"));
            file.WriteLine(day.AddHours(23), new StringBuilder("two"));
            file.WriteLine(day.AddHours(24), new StringBuilder("three"));
        }

        Assert.Equal(["#Fields: x", "one", "two"], File.ReadAllLines(Path.Combine(_dir.Path, "u_ex250101.log")));
        Assert.Equal(["#Fields: x", "three"], File.ReadAllLines(Path.Combine(_dir.Path, "u_ex250102.log")));
    }

    [Fact]
    public void Size_rolled_files_never_pass_the_limit_and_continue_after_the_highest_number_there()
    {
        File.WriteAllText(Path.Combine(_dir.Path, "httperr7.log"), "old\n");
        var line = new string('x', 99);
        using (var file = new RollingLogFile(_dir.Path, "httperr", LogRollover.BySize(1024), _ => ["#H"]))
        {
            for (var i = 0; i < 25; i++)
            {
                file.WriteLine(DateTimeOffset.UnixEpoch, new StringBuilder(line));
            }
        }

        Assert.Equal("old\n", File.ReadAllText(Path.Combine(_dir.Path, "httperr7.log")));
        var files = new[] { "httperr8.log", "httperr9.log", "httperr10.log" }.Select(n => Path.Combine(_dir.Path, n)).ToArray();
        Assert.All(files, f => Assert.True(new FileInfo(f).Length <= 1024, f));
        Assert.Equal(25, files.Sum(f => File.ReadAllLines(f).Count(l => l == line)));
        Assert.All(files, f => Assert.Equal("#H", File.ReadLines(f).First()));
        Assert.False(File.Exists(Path.Combine(_dir.Path, "httperr11.log")));
    }
}
