using HttpSysPS.Engine.Tests.Infrastructure;
using HttpSysPS.Engine.Timeouts;

namespace HttpSysPS.Engine.Tests.Timeouts;

/// <summary>
/// The heartbeat's own guarantees, on a fake clock: a tick that is still running when the timer fires again is not
/// run a second time beside it, and an exception in a tick is reported and never ends the heartbeat (in production
/// it would come out on a timer thread and end the process).
/// </summary>
public sealed class HeartbeatTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_tick_that_fires_while_the_previous_one_still_runs_is_skipped()
    {
        var clock = new FakeTimeProvider();
        var calls = 0;
        var running = 0;
        var overlapped = false;
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        using var heartbeat = new Heartbeat(clock, _ =>
        {
            overlapped |= Interlocked.Increment(ref running) > 1;
            if (Interlocked.Increment(ref calls) == 1)
            {
                entered.Set();
                release.Wait(Bounds.Wait);
            }

            Interlocked.Decrement(ref running);
        });

        // The first tick blocks inside its callback, on another thread.
        var first = Task.Run(() => clock.Advance(Second));
        Assert.True(entered.Wait(Bounds.Wait));

        // The timer fires again meanwhile. (The fake clock runs one Advance at a time, so the second firing is the
        // timer's callback called directly, as a real timer would call it from another thread.)
        heartbeat.Tick();
        Assert.Equal(1, Volatile.Read(ref calls));

        release.Set();
        await first.Bounded();

        // Once the slow tick is done, the next one runs as usual.
        clock.Advance(Second);
        Assert.Equal(2, Volatile.Read(ref calls));
        Assert.False(overlapped);
    }

    [Fact]
    public void An_exception_in_a_tick_is_reported_and_the_next_tick_still_runs()
    {
        var clock = new FakeTimeProvider();
        var calls = 0;
        var errors = new List<Exception>();
        using var heartbeat = new Heartbeat(clock, _ =>
        {
            if (++calls == 1)
            {
                throw new InvalidOperationException("tick bug");
            }
        }, errors.Add);

        clock.Advance(Second);
        clock.Advance(Second);

        Assert.Equal(2, calls);
        var error = Assert.Single(errors);
        Assert.Equal("tick bug", error.Message);
    }

    [Fact]
    public void A_throwing_error_callback_does_not_end_the_heartbeat_either()
    {
        var clock = new FakeTimeProvider();
        var calls = 0;
        using var heartbeat = new Heartbeat(
            clock,
            _ =>
            {
                calls++;
                throw new InvalidOperationException("tick bug");
            },
            _ => throw new InvalidOperationException("reporting bug"));

        clock.Advance(Second);
        clock.Advance(Second);

        Assert.Equal(2, calls);
    }
}
