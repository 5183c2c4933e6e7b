using Narada.Gearman.Worker;

namespace Narada.Gearman.Tests.Worker;

public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan Min = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData(0, 50, 100)]
    [InlineData(1, 100, 200)]
    [InlineData(3, 400, 800)]
    [InlineData(10, 2500, 5000)]
    [InlineData(int.MaxValue, 2500, 5000)]
    public void Delay_doubles_per_attempt_up_to_the_ceiling_with_up_to_half_of_it_as_jitter(int attempt, int lowMs, int highMs)
    {
        for (int i = 0; i < 200; i++)
        {
            var delay = ReconnectBackoff.Delay(attempt, Min, Max).TotalMilliseconds;
            Assert.InRange(delay, lowMs, highMs);
        }
    }

    [Fact]
    public void Delays_are_jittered_so_a_fleet_does_not_reconnect_in_lockstep()
    {
        var delays = Enumerable.Range(0, 50).Select(_ => ReconnectBackoff.Delay(4, Min, Max)).Distinct().Count();
        Assert.True(delays > 40, $"only {delays} distinct delays out of 50");
    }
}
