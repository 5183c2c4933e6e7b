using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>A named set of hosts sharing tags and template variables (layered below the host's own).</summary>
public sealed record GroupDefinition(
    string Name,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, object?> Vars,
    IReadOnlyList<string> Hosts,
    DefinitionSource Source);
