using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>When a definition fires: every fixed interval, or on a cron expression.</summary>
public sealed record Schedule
{
    private Schedule(TimeSpan? every, CronSchedule? cron)
    {
        Every = every;
        Cron = cron;
    }

    /// <summary>The fixed interval; null when the schedule is a cron expression.</summary>
    public TimeSpan? Every { get; }

    /// <summary>The cron expression; null when the schedule is a fixed interval.</summary>
    public CronSchedule? Cron { get; }

    /// <summary>The interval, or a cron expression's longest gap: the base for defaults such as a check's TTL.</summary>
    public TimeSpan NominalInterval => Every ?? Cron!.LongestGap;

    public static Schedule Interval(TimeSpan every) =>
        every > TimeSpan.Zero ? new(every, null) : throw new ArgumentOutOfRangeException(nameof(every), "must be positive");

    public static Schedule OnCron(CronSchedule cron) => new(null, cron ?? throw new ArgumentNullException(nameof(cron)));

    public override string ToString() => Every is { } every ? $"every {Duration.Format(every)}" : $"cron {Cron}";
}
