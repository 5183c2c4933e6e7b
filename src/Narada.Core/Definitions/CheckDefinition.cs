using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>A monitoring check: a plugin command run on each targeted host, whose result becomes state.</summary>
public sealed record CheckDefinition(
    string Name,
    string Plugin,
    IReadOnlyDictionary<string, string> Params,
    Schedule Schedule,
    Targets Targets,
    DefinitionSource Source)
{
    /// <summary>How long the plugin may run; null means the timeout of the agent's manifest.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Consecutive non-OK results before the state turns hard; 1 means hard at once.</summary>
    public int Attempts { get; init; } = 1;

    /// <summary>Names of the handlers run on hard state changes and recoveries.</summary>
    public IReadOnlyList<string> Handlers { get; init; } = [];

    /// <summary>How long a result stays fresh; after that the state is UNKNOWN "no result". Default: twice the interval.</summary>
    public TimeSpan Ttl { get; init; }

    /// <summary>While the state is soft non-OK: run again this soon, until it turns hard or recovers (Nagios'
    /// retry_interval); null: only on the schedule.</summary>
    public TimeSpan? RetryEvery { get; init; }

    /// <summary>What this check's problems depend on: while a parent is down, they are marked and handled by nobody.</summary>
    public IReadOnlyList<Dependency> DependsOn { get; init; } = [];

    /// <summary>Perfdata series (<c>narada_perfdata_*</c> family names, <c>*</c> globs) kept out of Prometheus.</summary>
    public SeriesFilter Drop { get; init; } = SeriesFilter.None;

    public bool RoundRobin => Targets.RoundRobin;

    /// <summary>The plugin part of <see cref="Plugin"/> ("nagios" in "nagios.check_disk").</summary>
    public string PluginName => PluginReference.PluginOf(Plugin);

    /// <summary>The command part of <see cref="Plugin"/> ("check_disk" in "nagios.check_disk").</summary>
    public string Command => PluginReference.CommandOf(Plugin);
}

/// <summary>
/// A parent of a check: <see cref="Check"/> on <see cref="Host"/> (null: the same host as the child) in a hard non-OK
/// state, or, with no check, <see cref="Host"/> itself down (its agent silent).
/// </summary>
public sealed record Dependency(string? Check, string? Host)
{
    public override string ToString() => Check is null ? $"host {Host}" : Host is null ? $"{Check} on the same host" : $"{Check} on {Host}";
}
