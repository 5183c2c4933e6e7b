using Narada.Controller.Access;

namespace Narada.Controller.Tests.Access;

public sealed class LoginThrottleTests
{
    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 12, 8, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_user_is_held_back_after_five_failures_until_the_oldest_leaves_the_window()
    {
        var throttle = new LoginThrottle(_clock);
        for (int i = 0; i < LoginThrottle.PerUser; i++)
        {
            Assert.Null(throttle.Blocked("alice", "10.0.0.1"));
            throttle.Failed("alice", "10.0.0.1");
            _clock.Now += TimeSpan.FromMinutes(1);
        }

        // Now 5 min after the first failure: it leaves the window 10 min from now; from another address too.
        Assert.Equal(TimeSpan.FromMinutes(10), throttle.Blocked("alice", "10.0.0.2"));
        Assert.Null(throttle.Blocked("bob", "10.0.0.2"));
        _clock.Now += TimeSpan.FromMinutes(10);
        Assert.Null(throttle.Blocked("alice", "10.0.0.2"));
    }

    [Fact]
    public void An_address_is_held_back_after_twenty_failures_whatever_the_names()
    {
        var throttle = new LoginThrottle(_clock);
        for (int i = 0; i < LoginThrottle.PerAddress; i++)
            throttle.Failed($"user{i}", "10.0.0.9");

        Assert.Equal(LoginThrottle.Window, throttle.Blocked("someone-new", "10.0.0.9"));
        Assert.Equal(LoginThrottle.Window, throttle.Blocked(null, "10.0.0.9"));
        Assert.Null(throttle.Blocked("someone-new", "10.0.0.10"));
    }

    [Fact]
    public void A_successful_login_clears_the_user_but_not_the_address()
    {
        var throttle = new LoginThrottle(_clock);
        for (int i = 0; i < LoginThrottle.PerUser; i++)
            throttle.Failed("alice", "10.0.0.1");
        Assert.NotNull(throttle.Blocked("alice", "10.0.0.3"));

        throttle.Succeeded("alice");

        Assert.Null(throttle.Blocked("alice", "10.0.0.3"));
    }
}
