using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>A config-apply job: files rendered on the controller and pushed to the targeted hosts a batch at a time.</summary>
public sealed record ApplyDefinition(
    string Name,
    Targets Targets,
    IReadOnlyList<ApplyFile> Files,
    Rollout Rollout,
    DefinitionSource Source)
{
    /// <summary>When set, the apply is re-run on this schedule to correct drift; null means only on demand.</summary>
    public Schedule? Schedule { get; init; }

    /// <summary>Default template variables, the lowest layer (below group, host and facts).</summary>
    public IReadOnlyDictionary<string, object?> Vars { get; init; } = DefinitionVars.Empty;
}
