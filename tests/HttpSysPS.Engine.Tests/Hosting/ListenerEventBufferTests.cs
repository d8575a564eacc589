using System.Net;
using HttpSysPS.Engine.Hosting;

namespace HttpSysPS.Engine.Tests.Hosting;

public class ListenerEventBufferTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static ListenerEvent Error(string message) => new(Now, "web", ListenerEventKind.Error, message);

    private static RequestLogEntry Entry(string? listener) =>
        new(Now, new IPEndPoint(IPAddress.Loopback, 50000), null, "HTTP/1.1", "GET", "/hello?x=1", 200, 13, TimeSpan.FromMilliseconds(1.5), listener, null);

    [Fact]
    public void Keeps_events_in_order()
    {
        var buffer = new ListenerEventBuffer();
        buffer.Add(Error("one"));
        buffer.Add(Error("two"));
        Assert.True(buffer.TryRead(out var first));
        Assert.True(buffer.TryRead(out var second));
        Assert.False(buffer.TryRead(out _));
        Assert.Equal(["one", "two"], new[] { first.Message, second.Message });
    }

    [Fact]
    public void When_full_drops_the_oldest_and_counts_it()
    {
        var buffer = new ListenerEventBuffer(capacity: 3);
        for (var i = 1; i <= 5; i++)
        {
            buffer.Add(Error(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        Assert.Equal(2, buffer.Dropped);
        var kept = new List<string>();
        while (buffer.TryRead(out var item))
        {
            kept.Add(item.Message);
        }

        Assert.Equal(["3", "4", "5"], kept);
    }

    [Fact]
    public void Request_lines_are_kept_only_while_watched()
    {
        var buffer = new ListenerEventBuffer();
        var line = new ListenerEvent(Now, "web", ListenerEventKind.Request, "GET /");
        buffer.Add(line);
        Assert.False(buffer.TryRead(out _));

        var first = buffer.WatchRequests();
        var second = buffer.WatchRequests();
        first.Dispose();
        first.Dispose();
        Assert.True(buffer.RecordRequests);
        buffer.Add(line);
        Assert.True(buffer.TryRead(out _));

        second.Dispose();
        Assert.False(buffer.RecordRequests);
        buffer.Add(line);
        Assert.False(buffer.TryRead(out _));
    }

    [Fact]
    public async Task WaitToReadAsync_completes_when_an_event_arrives()
    {
        var buffer = new ListenerEventBuffer();
        var wait = buffer.WaitToReadAsync(CancellationToken.None).AsTask();
        Assert.False(wait.IsCompleted);
        buffer.Add(Error("late"));
        Assert.True(await wait);
    }

    [Fact]
    public async Task WaitToReadAsync_is_cancellable()
    {
        var buffer = new ListenerEventBuffer();
        using var cancel = new CancellationTokenSource();
        var wait = buffer.WaitToReadAsync(cancel.Token).AsTask();
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }

    [Fact]
    public void Capacity_must_be_positive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ListenerEventBuffer(0));
    }

    [Fact]
    public void Router_sends_request_lines_to_their_listener_only_when_watched()
    {
        var router = new ListenerEventRouter();
        var web = new ListenerEventBuffer();
        var api = new ListenerEventBuffer();
        router.Register("web", web);
        router.Register("api", api);
        Assert.True(((IServerEvents)router).LogsRequests);

        router.RequestCompleted(Entry("WEB"));
        Assert.False(web.TryRead(out _));

        using (web.WatchRequests())
        using (api.WatchRequests())
        {
            router.RequestCompleted(Entry("web"));
            router.RequestCompleted(Entry(null));
            router.RequestCompleted(Entry("gone"));
        }

        Assert.True(web.TryRead(out var line));
        Assert.Equal(ListenerEventKind.Request, line.Kind);
        Assert.Equal("web", line.Listener);
        Assert.Equal(Now, line.Time);
        Assert.Equal("GET /hello?x=1 200 13 bytes 1.5 ms from 127.0.0.1:50000", line.Message);
        Assert.False(web.TryRead(out _));
        Assert.False(api.TryRead(out _));
    }

    [Fact]
    public void Router_records_handler_failures_with_the_exception()
    {
        var time = new FixedTime(Now);
        var router = new ListenerEventRouter(time);
        var web = new ListenerEventBuffer();
        router.Register("web", web);
        var failure = new InvalidOperationException("boom");

        router.HandlerFailed("web", failure);
        router.HandlerFailed("other", new InvalidOperationException("nobody listens"));

        Assert.True(web.TryRead(out var error));
        Assert.Equal(ListenerEventKind.Error, error.Kind);
        Assert.Same(failure, error.Exception);
        Assert.Equal(Now, error.Time);
        Assert.Contains("boom", error.Message);
        Assert.Contains("'web'", error.Message);
        Assert.False(web.TryRead(out _));
    }

    [Fact]
    public void Router_gives_warnings_to_every_listener_and_forgets_unregistered_ones()
    {
        var router = new ListenerEventRouter();
        var web = new ListenerEventBuffer();
        var api = new ListenerEventBuffer();
        router.Register("web", web);
        router.Register("api", api);
        router.Unregister("api");

        router.Warning("store unreadable");

        Assert.True(web.TryRead(out var warning));
        Assert.Equal(ListenerEventKind.Warning, warning.Kind);
        Assert.Equal("store unreadable", warning.Message);
        Assert.False(api.TryRead(out _));
        Assert.Null(router.Get("api"));
        Assert.Same(web, router.Get("WEB"));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
