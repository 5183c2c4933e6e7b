using Narada.Core.Definitions;

namespace Narada.Core.Tests.Definitions;

/// <summary>kind: Downtime: one-off and recurring windows, judged at times the test picks.</summary>
public sealed class DowntimeTests
{
    private static readonly IReadOnlySet<string> Db = new HashSet<string> { "db" };

    [Fact]
    public void A_recurring_downtime_opens_at_each_firing_in_its_time_zone_and_lasts_its_duration()
    {
        var set = ConfigDirectory.SetOf("""
            kind: Downtime
            name: sunday-patching
            targets: { tags: [db] }
            cron: "0 2 * * SUN"
            time_zone: Europe/Berlin
            duration: 2h
            comment: weekly patching
            """);
        var downtime = set.Downtimes["sunday-patching"];
        Assert.Equal("weekly patching", downtime.Comment);
        // Sunday 2026-12-13, 02:00 in Berlin is 01:00 UTC (CET, +1).
        var opens = new DateTimeOffset(2026, 12, 13, 1, 0, 0, TimeSpan.Zero);
        Assert.Null(downtime.WindowAt(opens.AddSeconds(-1)));
        Assert.Equal((opens, opens.AddHours(2)), downtime.WindowAt(opens));
        Assert.Equal((opens, opens.AddHours(2)), downtime.WindowAt(opens.AddMinutes(119)));
        Assert.Null(downtime.WindowAt(opens.AddHours(2)));
        Assert.Null(downtime.WindowAt(opens.AddDays(1)));
        // Summer time: 2027-06-13 02:00 in Berlin is 00:00 UTC (CEST, +2).
        var summer = new DateTimeOffset(2027, 6, 13, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(summer, downtime.WindowAt(summer.AddMinutes(5))!.Value.Start);
        Assert.True(downtime.Covers("anything", "db01", Db, opens));
        Assert.False(downtime.Covers("anything", "web01", new HashSet<string>(), opens));
    }

    [Fact]
    public void A_one_off_downtime_holds_from_start_to_end_for_its_checks_only()
    {
        var set = ConfigDirectory.SetOf("""
            kind: Downtime
            name: disk-swap
            targets: { hosts: [db01] }
            checks: [disk]
            start: 2026-12-09T22:00:00Z
            end: 2026-12-09T23:30:00+00:00
            ---
            kind: Check
            name: disk
            plugin: nagios.check_disk
            every: 1m
            targets: { hosts: [db01] }
            """);
        var downtime = set.Downtimes["disk-swap"];
        var start = new DateTimeOffset(2026, 12, 9, 22, 0, 0, TimeSpan.Zero);
        Assert.True(downtime.Covers("disk", "db01", Db, start));
        Assert.False(downtime.Covers("load", "db01", Db, start));
        Assert.False(downtime.Covers("disk", "db01", Db, start.AddMinutes(90)));
        Assert.False(downtime.Covers("disk", "db01", Db, start.AddTicks(-1)));
    }

    [Fact]
    public void Downtime_mistakes_are_reported_with_positions()
    {
        var errors = ConfigDirectory.ErrorsOf("""
            kind: Downtime
            name: a
            targets: { hosts: [db01] }
            start: 2026-12-09T22:00:00Z
            end: 2026-12-09T21:00:00Z
            ---
            kind: Downtime
            name: b
            targets: { hosts: [db01] }
            cron: "0 2 * * SUN"
            ---
            kind: Downtime
            name: c
            targets: { hosts: [db01] }
            cron: "0 2 * * SUN"
            duration: 1h
            checks: [dsik]
            commnet: x
            ---
            kind: Downtime
            name: d
            targets: { hosts: [db01] }
            start: tomorrow
            end: 2026-12-09T21:00:00Z
            """).Select(e => e.ToString()).ToArray();

        Assert.Contains(errors, e => e.Contains(":5:6: end: the end must come after the start", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("duration: missing required key", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(":17:10:", StringComparison.Ordinal) && e.Contains("unknown check 'dsik'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(":18:1: commnet: unknown key for Downtime (did you mean 'comment'?)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains(":23:8: start: 'tomorrow' is not a time", StringComparison.Ordinal));
    }
}
