using System.Globalization;
using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>Reads a <c>kind: Downtime</c> document: targets, optional checks, and either start/end or cron + duration.</summary>
internal static class DowntimeParser
{
    public static DowntimeDefinition? Parse(MappingReader reader, string name, DefinitionSource source)
    {
        var targets = DefinitionParts.Targets(reader, allowRoundRobin: false);
        var checks = reader.StringItems("checks");
        foreach (var (text, node, path) in checks)
        {
            reader.Document().Reference(DefinitionKind.Check, text, node, path);
        }

        var start = Time(reader, "start");
        var end = Time(reader, "end");
        var cronNode = reader.Value("cron");
        var zone = reader.String("time_zone");
        var length = reader.Duration("duration");
        var comment = reader.String("comment") ?? "";
        reader.RejectUnknownKeys(DefinitionKind.Downtime);

        CronSchedule? cron = null;
        if (cronNode is not null && reader.Scalar(cronNode, "cron") is { } expression)
        {
            if (!CronSchedule.TryParse(expression, zone, out cron, out var error))
            {
                reader.Context.Error(cronNode, "cron", error);
            }
        }
        else if (zone is not null)
        {
            reader.Context.Error(reader.KeyNode("time_zone")!, "time_zone", "time_zone applies only to a recurring downtime (cron)");
        }

        bool oneOff = reader.Value("start") is not null || reader.Value("end") is not null;
        if (oneOff && cronNode is not null)
        {
            reader.Context.Error(reader.KeyNode("cron")!, "cron", "give either start and end (one-off) or cron and duration (recurring), not both");
            return null;
        }

        if (oneOff)
        {
            if (start is null || end is null)
            {
                reader.Missing(start is null ? "start" : "end", "a one-off downtime has a start and an end, e.g. 2026-12-13T02:00:00Z");
                return null;
            }

            if (end <= start)
            {
                reader.Context.Error(reader.Value("end")!, "end", "the end must come after the start");
                return null;
            }

            if (length is not null)
            {
                reader.Context.Error(reader.KeyNode("duration")!, "duration", "duration is for a recurring downtime; a one-off one ends at end");
            }
        }
        else if (cronNode is null)
        {
            reader.Missing("start", "when: start and end (one-off), or cron and duration (recurring)");
            return null;
        }
        else if (length is null)
        {
            reader.Missing("duration", "how long each window lasts, e.g. duration: 2h");
            return null;
        }

        if (targets is null || (cronNode is not null && cron is null))
        {
            return null;
        }

        return new DowntimeDefinition(name, targets, source)
        {
            Checks = [.. checks.Select(c => c.Text)],
            Start = start,
            End = end,
            Cron = cron,
            Length = length ?? (end - start) ?? TimeSpan.Zero,
            Comment = comment,
        };
    }

    private static DateTimeOffset? Time(MappingReader reader, string key)
    {
        if (reader.String(key) is not { } text)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            && text.Contains('T', StringComparison.Ordinal))
        {
            return at;
        }

        reader.Context.Error(reader.Value(key)!, key, $"'{text}' is not a time such as 2026-12-13T02:00:00Z (with an offset or Z)");
        return null;
    }
}
