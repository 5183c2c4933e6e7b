using Narada.Controller.Scheduling;
using Narada.Core.Definitions;

namespace Narada.Controller.Tests.Scheduling;

public sealed class FirstFiringTests
{
    [Fact]
    public void Interval_schedules_first_fire_on_a_multiple_of_their_interval_since_the_epoch_whoever_starts_when()
    {
        var every = Schedule.Interval(TimeSpan.FromSeconds(2));
        var boundary = DateTimeOffset.FromUnixTimeMilliseconds(1_796_700_000_000); // a multiple of 2 s
        // Two members started 1.7 s apart fire at the same instants.
        Assert.Equal(boundary, DefinitionScheduler.FirstFiring(every, boundary.AddMilliseconds(-1900)));
        Assert.Equal(boundary, DefinitionScheduler.FirstFiring(every, boundary.AddMilliseconds(-200)));
        Assert.Equal(boundary, DefinitionScheduler.FirstFiring(every, boundary));
        Assert.Equal(boundary.AddSeconds(2), DefinitionScheduler.FirstFiring(every, boundary.AddMilliseconds(1)));
    }

    [Fact]
    public void Cron_schedules_start_now_their_firings_are_on_the_clock_already()
    {
        var now = DateTimeOffset.UtcNow;
        Assert.Equal(now, DefinitionScheduler.FirstFiring(Schedule.OnCron(CronSchedule.Parse("*/5 * * * *")), now));
    }
}
