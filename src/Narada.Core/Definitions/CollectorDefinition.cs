using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>A statistics collector: a plugin command whose samples go to Prometheus with a host label.</summary>
public sealed record CollectorDefinition(
    string Name,
    string Plugin,
    IReadOnlyDictionary<string, string> Params,
    Schedule Schedule,
    Targets Targets,
    DefinitionSource Source)
{
    /// <summary>How long the plugin may run; null means the timeout of the agent's manifest.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Series (family names, <c>*</c> globs) kept out of Prometheus.</summary>
    public SeriesFilter Drop { get; init; } = SeriesFilter.None;

    public string PluginName => PluginReference.PluginOf(Plugin);

    public string Command => PluginReference.CommandOf(Plugin);
}
