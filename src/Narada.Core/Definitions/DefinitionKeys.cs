using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>The top-level keys each kind accepts, so a misplaced key can be told which kind it belongs to.</summary>
public static class DefinitionKeys
{
    private static readonly string[] ScheduleKeys = ["every", "cron", "time_zone"];

    public static IReadOnlyDictionary<DefinitionKind, IReadOnlyList<string>> TopLevel { get; } = new Dictionary<DefinitionKind, IReadOnlyList<string>>
    {
        [DefinitionKind.Check] = ["kind", "name", "plugin", "params", .. ScheduleKeys, "targets", "timeout", "attempts", "ttl", "handlers",
            "retry_every", "depends_on", "drop"],
        [DefinitionKind.Collector] = ["kind", "name", "plugin", "params", .. ScheduleKeys, "targets", "timeout", "drop"],
        [DefinitionKind.Apply] = ["kind", "name", "targets", "files", "rollout", .. ScheduleKeys, "vars"],
        [DefinitionKind.Handler] = ["kind", "name", "exec", "webhook", "filter", "timeout", "repeat", "after"],
        [DefinitionKind.Host] = ["kind", "name", "tags", "vars", "groups"],
        [DefinitionKind.Group] = ["kind", "name", "tags", "vars", "hosts"],
        [DefinitionKind.Downtime] = ["kind", "name", "targets", "checks", "start", "end", "cron", "time_zone", "duration", "comment"],
    };

    /// <summary>The YAML names of the kinds other than <paramref name="kind"/> that have <paramref name="key"/>.</summary>
    internal static IEnumerable<string> OthersWithKey(DefinitionKind kind, string key) =>
        DefinitionKinds.All.Where(other => other.Kind != kind && TopLevel[other.Kind].Contains(key)).Select(other => other.YamlName);
}
