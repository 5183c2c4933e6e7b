using System.Text.RegularExpressions;
using Narada.Core.Contracts;
using Narada.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Narada.Core.Definitions;

/// <summary>Keys several kinds share: plugin, schedule (every / cron / time_zone) and targets.</summary>
internal static partial class DefinitionParts
{
    /// <summary><c>drop:</c> series name patterns kept out of Prometheus.</summary>
    public static SeriesFilter Drop(MappingReader reader)
    {
        var patterns = new List<string>();
        foreach (var (text, node, path) in reader.StringItems("drop"))
        {
            if (SeriesFilter.Problem(text) is { } problem)
            {
                reader.Context.Error(node, path, problem);
            }
            else
            {
                patterns.Add(text);
            }
        }

        return SeriesFilter.Of(patterns);
    }

    public static string? Plugin(MappingReader reader)
    {
        var node = reader.Value("plugin", required: true);
        if (node is null || reader.Scalar(node, "plugin") is not { } text)
        {
            return null;
        }

        if (!PluginReference.IsValid(text))
        {
            reader.Context.Error(node, "plugin", $"'{text}' is not of the form <plugin>.<command> (e.g. nagios.check_disk)");
            return null;
        }

        return text;
    }

    /// <summary>Reads every or cron (+ time_zone); reports a missing schedule only when <paramref name="required"/>.</summary>
    public static Schedule? Schedule(MappingReader reader, bool required, out bool failed)
    {
        failed = false;
        var context = reader.Context;
        var everyNode = reader.Value("every");
        var cronNode = reader.Value("cron");
        var zoneNode = reader.Value("time_zone");
        var errorsBefore = context.ErrorCount;
        if (everyNode is not null && cronNode is not null)
        {
            context.Error(reader.KeyNode("cron")!, "cron", "give either every or cron, not both");
            failed = true;
            return null;
        }

        if (zoneNode is not null && cronNode is null)
        {
            context.Error(reader.KeyNode("time_zone")!, "time_zone", "time_zone applies only to cron schedules");
            failed = true;
        }

        if (everyNode is not null)
        {
            var every = reader.Duration("every");
            return every is { } interval && !failed ? Definitions.Schedule.Interval(interval) : Fail(out failed);
        }

        if (cronNode is null)
        {
            if (required)
            {
                reader.Missing("every", "a schedule, e.g. every: 60s or cron: \"*/5 * * * *\"");
                failed = true;
            }

            return null;
        }

        string? zone = null;
        if (zoneNode is not null && reader.Scalar(zoneNode, "time_zone") is { } zoneText)
        {
            if (CronSchedule.TryFindTimeZone(zoneText, out _))
            {
                zone = zoneText;
            }
            else
            {
                var known = TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Append("UTC");
                context.Error(zoneNode, "time_zone", $"unknown time zone '{zoneText}'", NearestName.Find(zoneText, known));
                failed = true;
            }
        }

        if (reader.Scalar(cronNode, "cron") is not { } expression)
        {
            return Fail(out failed);
        }

        if (!CronSchedule.TryParse(expression, zone, out var cron, out var error))
        {
            context.Error(cronNode, "cron", $"bad cron: {error}");
            return Fail(out failed);
        }

        failed |= context.ErrorCount != errorsBefore;
        return failed ? null : Definitions.Schedule.OnCron(cron);
    }

    public static Targets? Targets(MappingReader reader, bool allowRoundRobin)
    {
        var node = reader.Value("targets", required: true);
        if (node is null || MappingReader.For(node, "targets", reader.Context) is not { } targets)
        {
            return null;
        }

        var hosts = Names(targets, "hosts", "host name");
        var tags = Names(targets, "tags", "tag");
        var roundRobin = targets.Boolean("round_robin") ?? false;
        targets.RejectUnknownKeys();
        var result = new Targets(hosts, tags, roundRobin);
        if (roundRobin && !allowRoundRobin)
        {
            reader.Context.Error(targets.KeyNode("round_robin")!, "targets.round_robin", "round_robin is only for checks and collectors");
            return null;
        }

        if (roundRobin && tags.Count != 1)
        {
            reader.Context.Error(node, "targets", $"round_robin needs exactly one tag (its agents share the work), found {tags.Count}");
            return null;
        }

        if (roundRobin && hosts.Count > 0)
        {
            reader.Context.Error(targets.KeyNode("hosts")!, "targets.hosts", "round_robin goes to a tag's pool; hosts cannot be listed with it");
            return null;
        }

        if (result.CanNeverMatch)
        {
            reader.Context.Error(node, "targets", "targets can never match: list hosts, tags, or one tag with round_robin: true");
            return null;
        }

        return result;
    }

    /// <summary>A list of host names or tags, each checked against the name alphabet (tags become function names).</summary>
    public static IReadOnlyList<string> Names(MappingReader reader, string key, string what)
    {
        var names = new List<string>();
        foreach (var (text, node, path) in reader.StringItems(key))
        {
            if (IsValidName(text))
            {
                names.Add(text);
            }
            else
            {
                reader.Context.Error(node, path, $"'{text}' is not a valid {what}: use letters, digits, '.', '_' and '-', starting with a letter or digit");
            }
        }

        return names;
    }

    /// <summary>Names go into Gearman unique keys and function names, so they are kept to a safe alphabet.</summary>
    public static bool IsValidName(string name) => NameForm().IsMatch(name);

    private static Schedule? Fail(out bool failed)
    {
        failed = true;
        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex NameForm();
}
