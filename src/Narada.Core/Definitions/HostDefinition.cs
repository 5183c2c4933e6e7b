using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>Static tags, variables and group memberships for a host (hosts are otherwise discovered from heartbeats).</summary>
public sealed record HostDefinition(
    string Name,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, object?> Vars,
    IReadOnlyList<string> Groups,
    DefinitionSource Source);
