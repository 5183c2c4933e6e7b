using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>The outcome of loading a config directory: a whole valid set, or every error found and no set.</summary>
public sealed record LoadResult(DefinitionSet? Set, IReadOnlyList<YamlError> Errors)
{
    public bool Succeeded => Set is not null;
}
