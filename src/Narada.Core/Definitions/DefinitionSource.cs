using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>Where a definition was written: file and the position of its document (1-based).</summary>
public sealed record DefinitionSource(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
