using Narada.Core.Definitions;

namespace Narada.Core.Tests.Definitions;

public sealed class CronScheduleTests
{
    // Quartz: seconds first, day-of-week 1-7 from Sunday (names used), '?' in the unrestricted day field.
    [Theory]
    [InlineData("* * * * *", "0 * * * * ?")]
    [InlineData("*/5 * * * *", "0 0/5 * * * ?")]
    [InlineData("5/15 * * * *", "0 5/15 * * * ?")]
    [InlineData("0-10/5 * * * *", "0 0,5,10 * * * ?")]
    [InlineData("0 9 * * MON-FRI", "0 0 9 ? * MON-FRI")]
    [InlineData("0 12 * * mon,wed,fri", "0 0 12 ? * MON,WED,FRI")]
    [InlineData("0 0 * * 1-5/2", "0 0 0 ? * MON,WED,FRI")]
    [InlineData("0 0 * * 0", "0 0 0 ? * SUN")]
    [InlineData("0 0 * * 7", "0 0 0 ? * SUN")]
    [InlineData("0 0 * * 5-7", "0 0 0 ? * SUN,FRI-SAT")]
    [InlineData("30 2 1 * *", "0 30 2 1 * ?")]
    [InlineData("0 0 1-7 * *", "0 0 0 1-7 * ?")]
    [InlineData("0 0 */2 * *", "0 0 0 1/2 * ?")]
    [InlineData("15,45 */2 * JAN,JUL *", "0 15,45 0/2 * 1,7 ?")]
    [InlineData("59 23 31 12 *", "0 59 23 31 12 ?")]
    [InlineData("*/1 * * * 0-6", "0 * * * * ?")]
    [InlineData("0 8-18 * * *", "0 0 8-18 * * ?")]
    [InlineData("@hourly", "0 0 * * * ?")]
    [InlineData("@daily", "0 0 0 * * ?")]
    [InlineData("@weekly", "0 0 0 ? * SUN")]
    [InlineData("@monthly", "0 0 0 1 * ?")]
    [InlineData("@yearly", "0 0 0 1 1 ?")]
    public void Converts_to_the_quartz_form(string cron, string quartz) =>
        Assert.Equal(quartz, CronSchedule.Parse(cron).ToQuartz());

    [Theory]
    [InlineData("", "empty cron expression")]
    [InlineData("* * * *", "has 4 fields")]
    [InlineData("0 * * * * *", "has 6 fields")]
    [InlineData("60 * * * *", "minute field '60': '60' is not a value in 0-59")]
    [InlineData("* 24 * * *", "hour field '24'")]
    [InlineData("* * 0 * *", "day-of-month field '0'")]
    [InlineData("* * * 13 *", "month field '13': '13' is not a value in 1-12 or JAN-DEC")]
    [InlineData("* * * * 8", "day-of-week field '8': '8' is not a value in 0-7 or SUN-SAT")]
    [InlineData("* * * FOO *", "'FOO' is not a value")]
    [InlineData("5-1 * * * *", "range '5-1' runs backwards")]
    [InlineData("*/0 * * * *", "step '0' must be a positive number")]
    [InlineData("1,,2 * * * *", "'' is not a value")]
    [InlineData("* * * * MON-", "'' is not a value")]
    [InlineData("0 0 1 * MON", "restricts both day-of-month and day-of-week")]
    [InlineData("0 0 30 2 *", "never fires")]
    [InlineData("0 0 31 4,6 *", "never fires")]
    [InlineData("@reboot", "unknown cron macro '@reboot'")]
    public void Rejects_bad_expressions_with_the_reason(string cron, string reason)
    {
        Assert.False(CronSchedule.TryParse(cron, null, out var schedule, out var error));
        Assert.Null(schedule);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolves_an_iana_time_zone_and_rejects_an_unknown_one()
    {
        var paris = CronSchedule.Parse("0 9 * * *", "Europe/Paris");
        Assert.Equal("Europe/Paris", paris.TimeZone.Id);
        Assert.Equal("Europe/Paris", paris.TimeZoneId);

        Assert.False(CronSchedule.TryParse("0 9 * * *", "Mars/Olympus_Mons", out _, out var error));
        Assert.Contains("unknown time zone 'Mars/Olympus_Mons'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Finds_the_next_firing_in_wall_clock_time()
    {
        var weekdays = CronSchedule.Parse("0 9 * * MON-FRI");
        // 2026-11-27 is a Friday: after 10:00 the next weekday 09:00 is Monday the 30th.
        Assert.Equal(new DateTime(2026, 11, 30, 9, 0, 0), weekdays.NextAfter(new DateTime(2026, 11, 27, 10, 0, 0)));
        Assert.Equal(new DateTime(2026, 11, 27, 9, 0, 0), weekdays.NextAfter(new DateTime(2026, 11, 27, 8, 59, 59)));

        var leapDay = CronSchedule.Parse("0 0 29 2 *");
        Assert.Equal(new DateTime(2028, 2, 29), leapDay.NextAfter(new DateTime(2026, 1, 1)));
    }

    [Theory]
    [InlineData("*/5 * * * *", 5 * 60)]
    [InlineData("0 * * * *", 3600)]
    [InlineData("0 9 * * MON-FRI", 3 * 86400)]
    [InlineData("0,10 * * * *", 50 * 60)]
    public void Longest_gap_is_the_longest_wait_between_firings(string cron, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), CronSchedule.Parse(cron).LongestGap);
}
