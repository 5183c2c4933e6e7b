namespace Narada.Core.Definitions;

/// <summary>The outcome of loading a config directory: a whole valid set, or every error found and no set.</summary>
public sealed record LoadResult(DefinitionSet? Set, IReadOnlyList<DefinitionError> Errors)
{
    public bool Succeeded => Set is not null;
}
