namespace Narada.Core.Definitions;

/// <summary>The values of a document's <c>kind</c> key.</summary>
public static class DefinitionKinds
{
    public const string Check = "Check";
    public const string Collector = "Collector";
    public const string Apply = "Apply";
    public const string Handler = "Handler";
    public const string Host = "Host";
    public const string Group = "Group";

    public static IReadOnlyList<string> All { get; } = [Check, Collector, Apply, Handler, Host, Group];

    private static readonly string[] ScheduleKeys = ["every", "cron", "time_zone"];

    /// <summary>The top-level keys each kind accepts (used to tell a user which kind a misplaced key belongs to).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> TopLevelKeys { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        [Check] = ["kind", "name", "plugin", "params", .. ScheduleKeys, "targets", "timeout", "attempts", "ttl", "handlers"],
        [Collector] = ["kind", "name", "plugin", "params", .. ScheduleKeys, "targets", "timeout"],
        [Apply] = ["kind", "name", "targets", "files", "rollout", .. ScheduleKeys, "vars"],
        [Handler] = ["kind", "name", "exec", "webhook", "filter", "timeout"],
        [Host] = ["kind", "name", "tags", "vars", "groups"],
        [Group] = ["kind", "name", "tags", "vars", "hosts"],
    };

    /// <summary>The kinds other than <paramref name="kind"/> that have <paramref name="key"/>, for an error message.</summary>
    internal static IEnumerable<string> OthersWithKey(string kind, string key) =>
        All.Where(other => other != kind && TopLevelKeys[other].Contains(key));
}
