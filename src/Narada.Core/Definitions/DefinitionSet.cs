using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>A complete, validated set of definitions, by kind and then by name.</summary>
public sealed record DefinitionSet(
    IReadOnlyDictionary<string, CheckDefinition> Checks,
    IReadOnlyDictionary<string, CollectorDefinition> Collectors,
    IReadOnlyDictionary<string, ApplyDefinition> Applies,
    IReadOnlyDictionary<string, HandlerDefinition> Handlers,
    IReadOnlyDictionary<string, HostDefinition> Hosts,
    IReadOnlyDictionary<string, GroupDefinition> Groups)
{
    /// <summary>The directory the set was loaded from; templates are resolved relative to it.</summary>
    public string Directory { get; init; } = "";

    /// <summary>Scheduled downtime: windows in which handlers of the hosts and checks they cover are held.</summary>
    public IReadOnlyDictionary<string, DowntimeDefinition> Downtimes { get; init; } = new Dictionary<string, DowntimeDefinition>();

    public static DefinitionSet Empty { get; } = new(
        new Dictionary<string, CheckDefinition>(),
        new Dictionary<string, CollectorDefinition>(),
        new Dictionary<string, ApplyDefinition>(),
        new Dictionary<string, HandlerDefinition>(),
        new Dictionary<string, HostDefinition>(),
        new Dictionary<string, GroupDefinition>());

    /// <summary>
    /// A host's effective tags: those its agent reports, those its Host definition declares, and those of every group
    /// it belongs to (listed in the group's hosts or in the host's groups).
    /// </summary>
    public IReadOnlySet<string> TagsOf(string host, IEnumerable<string> reportedTags)
    {
        var tags = new HashSet<string>(reportedTags, StringComparer.Ordinal);
        Hosts.TryGetValue(host, out var definition);
        if (definition is not null)
        {
            tags.UnionWith(definition.Tags);
        }

        foreach (var group in Groups.Values)
        {
            if (group.Hosts.Contains(host, StringComparer.Ordinal) || (definition?.Groups.Contains(group.Name, StringComparer.Ordinal) ?? false))
            {
                tags.UnionWith(group.Tags);
            }
        }

        return tags;
    }
}
