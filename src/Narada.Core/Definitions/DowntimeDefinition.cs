namespace Narada.Core.Definitions;

/// <summary>
/// Planned maintenance: while a window is open, the handlers of the checks it covers on the hosts it targets are held
/// (states and events are still recorded, marked as in downtime). One-off (<see cref="Start"/> to <see cref="End"/>)
/// or recurring (a window of <see cref="Length"/> from each firing of <see cref="Cron"/>, in its time zone).
/// </summary>
public sealed record DowntimeDefinition(string Name, Targets Targets, DefinitionSource Source)
{
    /// <summary>Only these checks; empty: every check on the targeted hosts.</summary>
    public IReadOnlyList<string> Checks { get; init; } = [];

    public DateTimeOffset? Start { get; init; }
    public DateTimeOffset? End { get; init; }
    public CronSchedule? Cron { get; init; }
    public TimeSpan Length { get; init; }
    public string Comment { get; init; } = "";

    /// <summary>The window open at <paramref name="now"/> (start, end), or null.</summary>
    public (DateTimeOffset Start, DateTimeOffset End)? WindowAt(DateTimeOffset now)
    {
        if (Start is { } start && End is { } end)
            return start <= now && now < end ? (start, end) : null;
        if (Cron is not { } cron)
            return null;
        // A firing in (now - length, now] opens a window that holds now: look for the first one after now - length
        // (firings fall on whole minutes, so "after" is the next minute on).
        var from = TimeZoneInfo.ConvertTime(now - Length, cron.TimeZone).DateTime;
        if (cron.NextAfter(from) is not { } wall)
            return null;
        var opened = new DateTimeOffset(wall, cron.TimeZone.GetUtcOffset(wall));
        return opened <= now ? (opened, opened + Length) : null;
    }

    /// <summary>Whether the window open at <paramref name="now"/> covers <paramref name="check"/> (null: the host as a whole).</summary>
    public bool Covers(string? check, string host, IReadOnlySet<string> tags, DateTimeOffset now) =>
        (check is null || Checks.Count == 0 || Checks.Contains(check)) && Targets.Matches(host, tags) && WindowAt(now) is not null;
}
