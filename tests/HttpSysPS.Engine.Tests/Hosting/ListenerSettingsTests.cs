using System.Collections;
using HttpSysPS.Engine.Configuration;
using HttpSysPS.Engine.Hosting;
using HttpSysPS.Engine.WebSockets;

namespace HttpSysPS.Engine.Tests.Hosting;

public class ListenerSettingsTests
{
    private static ListenerSettings Settings(params string[] prefixes) => new("web", prefixes.Length == 0 ? ["http://localhost:0/"] : prefixes);

    [Fact]
    public void Unset_values_keep_the_engine_defaults()
    {
        var options = Settings().ToUrlGroupOptions();
        var defaults = new UrlGroupOptions("web", ["http://localhost:0/"]);
        Assert.Equal("web", options.Name);
        Assert.Equal("http://localhost:0/", Assert.Single(options.UrlPrefixes).FullPrefix);
        Assert.Null(options.RequestQueueName);
        Assert.Equal(UrlGroupOptions.DefaultRequestQueueLimit, options.RequestQueueLimit);
        Assert.Equal(defaults.MaxConcurrentRequests, options.MaxConcurrentRequests);
        Assert.Null(options.MaxConnections);
        Assert.Equal(UrlGroupOptions.DefaultMaxRequestBodySize, options.MaxRequestBodySize);
        Assert.Equal(TimeoutLimits.Inherit, options.Timeouts);
    }

    [Fact]
    public void Given_values_are_mapped()
    {
        var options = (Settings("http://localhost:0/a/", "http://127.0.0.1:0/b/") with
        {
            RequestQueueName = "queue",
            RequestQueueLimit = 10,
            MaxConnections = 5,
            MaxRequestBodySize = 1024,
            MaxConcurrentRequests = 3,
        }).ToUrlGroupOptions();
        Assert.Equal(["http://localhost:0/a/", "http://127.0.0.1:0/b/"], options.UrlPrefixes.Select(p => p.FullPrefix));
        Assert.Equal("queue", options.RequestQueueName);
        Assert.Equal(10, options.RequestQueueLimit);
        Assert.Equal(5, options.MaxConnections);
        Assert.Equal(1024, options.MaxRequestBodySize);
        Assert.Equal(3, options.MaxConcurrentRequests);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData(false, false)]
    [InlineData(true, true)]
    public void Response_caching_defaults_on_and_can_be_turned_off(bool? given, bool expected) =>
        Assert.Equal(expected, (Settings() with { EnableResponseCaching = given }).ToUrlGroupOptions().EnableResponseCaching);

    [Theory]
    [InlineData(null, false)]
    [InlineData(true, true)]
    [InlineData(false, false)]
    public void Synchronous_io_is_refused_unless_asked_for(bool? given, bool expected) =>
        Assert.Equal(expected, (Settings() with { AllowSynchronousIO = given }).ToUrlGroupOptions().AllowSynchronousIO);

    [Theory]
    [InlineData("IdleConnection", true)]
    [InlineData("minsendbytespersecond", true)]
    [InlineData("3", false)]
    [InlineData("+3", false)]
    [InlineData(" IdleConnection", false)]
    [InlineData(null, false)]
    public void Timer_names_are_the_HTTP_sys_names_only(string? name, bool known) =>
        Assert.Equal(known, ListenerSettings.TryParseTimerName(name, out _));

    [Fact]
    public void Minus_one_means_unlimited()
    {
        var options = (Settings() with { MaxConnections = ListenerSettings.Unlimited, MaxRequestBodySize = -1 }).ToUrlGroupOptions();
        Assert.Null(options.MaxConnections);
        Assert.Null(options.MaxRequestBodySize);
    }

    [Theory]
    [InlineData(nameof(ListenerSettings.MaxConnections), -2L)]
    [InlineData(nameof(ListenerSettings.MaxConnections), 0L)]
    [InlineData(nameof(ListenerSettings.MaxRequestBodySize), -2L)]
    public void Limits_out_of_range_name_the_setting_and_the_unlimited_value(string setting, long value)
    {
        var settings = setting == nameof(ListenerSettings.MaxConnections) ? Settings() with { MaxConnections = value } : Settings() with { MaxRequestBodySize = value };
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => settings.ToUrlGroupOptions());
        Assert.Equal(setting, e.ParamName);
        Assert.Contains("-1 (unlimited)", e.Message);
    }

    [Fact]
    public void WebSocket_limits_keep_the_defaults_unless_given()
    {
        Assert.Equal(WebSocketOptions.Default, Settings().ToUrlGroupOptions().WebSockets);
        var given = (Settings() with
        {
            WebSocketMaxMessageSize = 4096,
            WebSocketKeepAliveInterval = TimeSpan.Zero,
            WebSocketIdleTimeout = TimeSpan.FromSeconds(90),
            WebSocketCloseTimeout = TimeSpan.FromSeconds(2),
            WebSocketCompression = true,
        }).ToUrlGroupOptions().WebSockets;
        Assert.Equal(
            new WebSocketOptions
            {
                MaxMessageSize = 4096,
                KeepAliveInterval = TimeSpan.Zero,
                IdleTimeout = TimeSpan.FromSeconds(90),
                CloseTimeout = TimeSpan.FromSeconds(2),
                EnableCompression = true,
            },
            given);
        Assert.Null((Settings() with { WebSocketMaxMessageSize = ListenerSettings.Unlimited }).ToUrlGroupOptions().WebSockets.MaxMessageSize);
    }

    [Theory]
    [InlineData(0L, null, null, nameof(ListenerSettings.WebSocketMaxMessageSize))]
    [InlineData(-2L, null, null, nameof(ListenerSettings.WebSocketMaxMessageSize))]
    [InlineData(null, -1, null, nameof(WebSocketOptions.KeepAliveInterval))]
    [InlineData(null, null, 0, nameof(WebSocketOptions.CloseTimeout))]
    public void WebSocket_limits_out_of_range_name_the_setting(long? size, int? keepAliveSeconds, int? closeSeconds, string setting)
    {
        var settings = Settings() with
        {
            WebSocketMaxMessageSize = size,
            WebSocketKeepAliveInterval = keepAliveSeconds is { } k ? TimeSpan.FromSeconds(k) : null,
            WebSocketCloseTimeout = closeSeconds is { } c ? TimeSpan.FromSeconds(c) : null,
        };
        Assert.Equal(setting, Assert.Throws<ArgumentOutOfRangeException>(() => settings.ToUrlGroupOptions()).ParamName);
    }

    [Fact]
    public void A_zero_byte_body_limit_is_allowed()
    {
        Assert.Equal(0, (Settings() with { MaxRequestBodySize = 0 }).ToUrlGroupOptions().MaxRequestBodySize);
    }

    [Theory]
    [InlineData(0, nameof(UrlGroupOptions.RequestQueueLimit))]
    [InlineData(-5, nameof(UrlGroupOptions.RequestQueueLimit))]
    public void Queue_limit_below_one_is_refused_by_the_options(int value, string parameter)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => (Settings() with { RequestQueueLimit = value }).ToUrlGroupOptions());
        Assert.Equal(parameter, e.ParamName);
        Assert.Contains("requests", e.Message);
    }

    [Fact]
    public void Concurrency_below_one_is_refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => (Settings() with { MaxConcurrentRequests = 0 }).ToUrlGroupOptions());
        Assert.Equal(nameof(UrlGroupOptions.MaxConcurrentRequests), e.ParamName);
    }

    [Fact]
    public void A_queue_name_over_260_characters_is_refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => (Settings() with { RequestQueueName = new string('q', 261) }).ToUrlGroupOptions());
        Assert.Equal(nameof(UrlGroupOptions.RequestQueueName), e.ParamName);
    }

    [Fact]
    public void A_malformed_prefix_is_MalformedPrefix()
    {
        var e = Assert.Throws<HttpSysException>(() => Settings("http://localhost:99999/").ToUrlGroupOptions());
        Assert.Equal(HttpSysErrorReason.MalformedPrefix, e.Reason);
    }

    [Fact]
    public void No_prefix_or_a_duplicate_prefix_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ListenerSettings("web", []).ToUrlGroupOptions());
        Assert.Throws<ArgumentOutOfRangeException>(() => Settings("http://localhost:8080/", "HTTP://LOCALHOST:8080/").ToUrlGroupOptions());
    }

    [Fact]
    public void An_empty_name_is_refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ListenerSettings(" ", ["http://localhost:0/"]).ToUrlGroupOptions());
        Assert.Equal(nameof(UrlGroupOptions.Name), e.ParamName);
    }

    [Fact]
    public void Timeouts_map_every_HTTP_sys_timer_by_name_case_insensitively()
    {
        var limits = ListenerSettings.ParseTimeouts(new Hashtable
        {
            ["entitybody"] = 10,
            ["DrainEntityBody"] = 11L,
            ["REQUESTQUEUE"] = (short)12,
            ["IdleConnection"] = TimeSpan.FromSeconds(13),
            ["HeaderWait"] = "14",
            ["MinSendBytesPerSecond"] = 4096.0,
        });
        Assert.Equal(10, limits.EntityBody);
        Assert.Equal(11, limits.DrainEntityBody);
        Assert.Equal(12, limits.RequestQueue);
        Assert.Equal(13, limits.IdleConnection);
        Assert.Equal(14, limits.HeaderWait);
        Assert.Equal(4096, limits.MinSendBytesPerSecond);
    }

    [Fact]
    public void Timers_not_named_inherit_and_null_is_inherit_all()
    {
        Assert.Equal(TimeoutLimits.Inherit, ListenerSettings.ParseTimeouts(null));
        var limits = ListenerSettings.ParseTimeouts(new Hashtable { ["HeaderWait"] = 30 });
        Assert.Equal(TimeoutLimits.Inherit with { HeaderWait = 30 }, limits);
    }

    [Fact]
    public void Inherit_and_disabled_are_words()
    {
        var limits = ListenerSettings.ParseTimeouts(new Hashtable
        {
            ["IdleConnection"] = "disabled",
            ["MinSendBytesPerSecond"] = "Disabled",
            ["HeaderWait"] = "inherit",
        });
        Assert.Equal(TimeoutLimits.DisabledSeconds, limits.IdleConnection);
        Assert.Equal(TimeoutLimits.DisabledMinSendRate, limits.MinSendBytesPerSecond);
        Assert.Equal(0, limits.HeaderWait);
    }

    [Fact]
    public void TimeSpans_round_to_whole_seconds()
    {
        var limits = ListenerSettings.ParseTimeouts(new Hashtable { ["EntityBody"] = TimeSpan.FromMilliseconds(2600) });
        Assert.Equal(3, limits.EntityBody);
    }

    [Fact]
    public void An_unknown_timer_lists_the_valid_names()
    {
        var e = Assert.Throws<ArgumentException>(() => ListenerSettings.ParseTimeouts(new Hashtable { ["IdleTimeout"] = 5 }));
        Assert.Contains("'IdleTimeout' is not a timer", e.Message);
        Assert.Contains("EntityBody, DrainEntityBody, RequestQueue, IdleConnection, HeaderWait, MinSendBytesPerSecond", e.Message);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("EntityBody,HeaderWait")]
    [InlineData("")]
    public void Numbers_and_combinations_are_not_timer_names(string name)
    {
        Assert.Throws<ArgumentException>(() => ListenerSettings.ParseTimeouts(new Hashtable { [name] = 5 }));
    }

    [Fact]
    public void Out_of_range_seconds_name_the_timer_and_unit()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ListenerSettings.ParseTimeouts(new Hashtable { ["HeaderWait"] = 70000 }));
        Assert.Equal("HeaderWait", e.ParamName);
        Assert.Contains("seconds", e.Message);
        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => ListenerSettings.ParseTimeouts(new Hashtable { ["EntityBody"] = TimeSpan.FromSeconds(-1) }));
        Assert.Equal("EntityBody", negative.ParamName);
        var huge = Assert.Throws<ArgumentOutOfRangeException>(() => ListenerSettings.ParseTimeouts(new Hashtable { ["EntityBody"] = TimeSpan.MaxValue }));
        Assert.Equal("EntityBody", huge.ParamName);
    }

    [Fact]
    public void Out_of_range_send_rate_names_its_unit()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ListenerSettings.ParseTimeouts(new Hashtable { ["MinSendBytesPerSecond"] = 0x1_0000_0000L }));
        Assert.Equal("MinSendBytesPerSecond", e.ParamName);
        Assert.Contains("bytes per second", e.Message);
    }

    [Theory]
    [InlineData("HeaderWait", 1.5)]
    [InlineData("HeaderWait", "soon")]
    [InlineData("HeaderWait", null)]
    [InlineData("HeaderWait", true)]
    public void Fractions_words_and_other_types_are_refused(string timer, object? value)
    {
        var e = Assert.Throws<ArgumentException>(() => ListenerSettings.ParseTimeouts(new Hashtable { [timer] = value }));
        Assert.Contains("whole number of seconds", e.Message);
    }

    [Fact]
    public void The_send_rate_takes_no_TimeSpan()
    {
        var e = Assert.Throws<ArgumentException>(() => ListenerSettings.ParseTimeouts(new Hashtable { ["MinSendBytesPerSecond"] = TimeSpan.FromSeconds(1) }));
        Assert.Contains("bytes per second", e.Message);
    }

    [Fact]
    public void Timeouts_reach_the_options()
    {
        var options = (Settings() with { Timeouts = new Hashtable { ["IdleConnection"] = 7 } }).ToUrlGroupOptions();
        Assert.Equal(7, options.Timeouts.IdleConnection);
    }

    [Theory]
    [InlineData(1, 4)]
    [InlineData(2, 4)]
    [InlineData(3, 6)]
    [InlineData(16, 32)]
    public void Default_blocking_concurrency_is_twice_the_CPUs_and_at_least_four(int cpus, int expected)
    {
        Assert.Equal(expected, ListenerSettings.DefaultBlockingConcurrency(cpus));
    }

    [Fact]
    public void Default_blocking_concurrency_needs_a_CPU()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ListenerSettings.DefaultBlockingConcurrency(0));
    }
}
