using Narada.Controller.Scheduling;

namespace Narada.Controller.Tests.Scheduling;

public class SplayTests
{
    [Fact]
    public void The_same_host_always_gets_the_same_offset_inside_the_window()
    {
        var window = TimeSpan.FromSeconds(60);
        var a = Splay.Offset("check/disk", "web01", window);
        Assert.Equal(a, Splay.Offset("check/disk", "web01", window));
        Assert.InRange(a, TimeSpan.Zero, window - TimeSpan.FromTicks(1));
        Assert.NotEqual(a, Splay.Offset("check/disk", "web02", window));
        Assert.Equal(TimeSpan.Zero, Splay.Offset("check/disk", "web01", TimeSpan.Zero));
    }

    [Fact]
    public void Ten_thousand_hosts_spread_evenly_over_a_minute()
    {
        var perSecond = new int[60];
        for (int i = 0; i < 10_000; i++)
            perSecond[(int)Splay.Offset("check/disk", $"host{i:D5}.example.com", TimeSpan.FromSeconds(60)).TotalSeconds]++;
        // Uniform would be ~167 per second; no second may carry more than twice that or be nearly empty.
        Assert.All(perSecond, n => Assert.InRange(n, 80, 334));
    }
}
