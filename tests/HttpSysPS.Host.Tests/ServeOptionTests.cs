using System.Net;
using System.Net.Sockets;
using HttpSysPS.Engine;

namespace HttpSysPS.Host.Tests;

/// <summary>
/// <c>httpsys serve</c>'s listener options as a separate process: what is a usage error (exit 2, one line naming the
/// option), and what is accepted. Every run points the listener at a port this test holds, so a command line that is
/// accepted ends at once with the PortInUse exit code instead of serving.
/// </summary>
public sealed class ServeOptionTests : IDisposable
{
    private static readonly int PortInUse = 10 + (int)HttpSysErrorReason.PortInUse;

    private readonly TempDirectory _temp = new();
    private readonly Socket _held = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    public ServeOptionTests()
    {
        _held.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _held.Listen();
    }

    /// <summary>Timer names are the six HTTP.sys names; Enum.TryParse used to take numbers (3 = IdleConnection).</summary>
    [Theory]
    [InlineData("3=5")]
    [InlineData("0=5")]
    [InlineData("+3=5")]
    [InlineData("5=5")]
    [InlineData("Bogus=5")]
    [InlineData("=5")]
    [InlineData("IdleConnection")]
    [InlineData("IdleConnection=")]
    [InlineData("IdleConnection=abc")]
    [InlineData("IdleConnection=-5")]
    [InlineData("IdleConnection=5s")]
    public async Task A_timeout_that_is_not_an_HTTP_sys_timer_name_and_a_number_is_a_usage_error(string timeout)
    {
        var (exit, _, error) = await ServeAsync("--timeout", timeout);

        Assert.True(exit == 2, $"exit {exit}: {error}");
        Assert.Equal(
            $"httpsys serve: --timeout '{timeout}' must be <name>=<number>, with name one of EntityBody, DrainEntityBody, RequestQueue, IdleConnection, HeaderWait, MinSendBytesPerSecond.",
            error.Trim());
    }

    [Theory]
    [InlineData("IdleConnection=5")]
    [InlineData("idleconnection=5")]
    [InlineData("MINSENDBYTESPERSECOND=300")]
    [InlineData("HeaderWait=65535")]
    public async Task A_timer_named_in_any_case_is_accepted(string timeout)
    {
        var (exit, _, error) = await ServeAsync("--timeout", timeout);

        Assert.True(exit == PortInUse, $"exit {exit}: {error}");
    }

    /// <summary>Out-of-range values, from the one mapping (ListenerSettings → UrlGroupOptions) the cmdlets use too.</summary>
    [Theory]
    [InlineData("--timeout", "IdleConnection=65536", "IdleConnection")]
    [InlineData("--queue-limit", "0", "RequestQueueLimit")]
    [InlineData("--max-connections", "0", "MaxConnections")]
    [InlineData("--max-connections", "-2", "MaxConnections")]
    [InlineData("--max-body-size", "-2", "MaxRequestBodySize")]
    [InlineData("--queue-limit", "x", "--queue-limit")]
    public async Task A_value_out_of_range_is_a_usage_error_naming_the_setting(string option, string value, string named)
    {
        var (exit, _, error) = await ServeAsync(option, value);

        Assert.True(exit == 2, $"exit {exit}: {error}");
        Assert.StartsWith("httpsys serve: ", error, StringComparison.Ordinal);
        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }

    /// <summary>-1 is "unlimited", as for New-HttpSysListener (-MaxConnections -1, -MaxRequestBodySize -1).</summary>
    [Theory]
    [InlineData("--max-connections", "-1")]
    [InlineData("--max-body-size", "-1")]
    [InlineData("--max-body-size", "0")]
    [InlineData("--queue-limit", "1")]
    public async Task Unlimited_and_in_range_values_are_accepted(string option, string value)
    {
        var (exit, _, error) = await ServeAsync(option, value);

        Assert.True(exit == PortInUse, $"exit {exit}: {error}");
    }

    [Fact]
    public async Task Allow_synchronous_io_is_a_listener_option()
    {
        var (exit, _, error) = await ServeAsync("--allow-synchronous-io");

        Assert.True(exit == PortInUse, $"exit {exit}: {error}");
    }

    [Fact]
    public async Task Allow_synchronous_io_before_any_url_is_a_usage_error()
    {
        var (exit, _, error) = await Httpsys.RunAsync("serve", "--allow-synchronous-io", "--url", "http://127.0.0.1:0/", "--root", _temp.Path);

        Assert.Equal(2, exit);
        Assert.Equal("httpsys serve: --allow-synchronous-io applies to the listener of the --url before it.", error.Trim());
    }

    [Theory]
    [InlineData("--log-rollover", "daily", "httpsys serve: --log-rollover and --log-fields need --log-dir.")]
    [InlineData("--log-fields", "date time", "httpsys serve: --log-rollover and --log-fields need --log-dir.")]
    public async Task Log_settings_without_a_log_directory_are_a_usage_error(string option, string value, string message)
    {
        var (exit, _, error) = await ServeAsync(option, value);

        Assert.Equal(2, exit);
        Assert.Equal(message, error.Trim());
    }

    [Theory]
    [InlineData("--log-rollover", "hourly", "'hourly' is not a log rollover")]
    [InlineData("--log-rollover", "size:10", "'size:10' is not a log rollover")]
    [InlineData("--log-fields", "date cs(Referer)", "'cs(referer)' is not a W3C log field")]
    public async Task A_bad_log_rollover_or_field_is_a_usage_error_naming_it(string option, string value, string message)
    {
        var (exit, _, error) = await ServeAsync("--log-dir", _temp.Path, option, value);

        Assert.True(exit == 2, $"exit {exit}: {error}");
        Assert.Contains(message, error);
    }

    [Fact]
    public async Task Good_log_settings_are_accepted()
    {
        var (exit, _, error) = await ServeAsync("--log-dir", _temp.Path, "--log-rollover", "size:1M", "--log-fields", "date,time,cs-uri-stem");

        Assert.True(exit == PortInUse, $"exit {exit}: {error}");
    }

    public void Dispose()
    {
        _held.Dispose();
        _temp.Dispose();
    }

    private Task<(int ExitCode, string Output, string Error)> ServeAsync(params string[] options)
    {
        var port = ((IPEndPoint)_held.LocalEndPoint!).Port;
        return Httpsys.RunAsync(["serve", "--config", _temp.File("config.json"), "--url", $"http://127.0.0.1:{port}/", "--root", _temp.Path, .. options]);
    }
}
