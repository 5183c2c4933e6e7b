namespace Narada.Agent.Manifests;

/// <summary>One command a manifest declares: the program, how its argv is built from typed parameters, and how to read its output.</summary>
public sealed record ManifestCommand
{
    public required string Plugin { get; init; }
    public required string Name { get; init; }

    /// <summary><c>plugin.command</c>, the name jobs use.</summary>
    public string FullName => $"{Plugin}.{Name}";

    /// <summary>Absolute path of the program (relative paths in the manifest are resolved against its directory).</summary>
    public required string Executable { get; init; }

    /// <summary>argv entries; each group is kept or dropped as a whole (a single string is a group of one).</summary>
    public required IReadOnlyList<IReadOnlyList<ArgTemplate>> Args { get; init; }

    public required IReadOnlyDictionary<string, ParamSpec> Params { get; init; }

    /// <summary>Variables added to the program's environment; values may use placeholders.</summary>
    public required IReadOnlyDictionary<string, ArgTemplate> Environment { get; init; }

    /// <summary>Output format name: nagios, prometheus, graphite, influx, json or text.</summary>
    public required string Output { get; init; }

    public required TimeSpan Timeout { get; init; }

    public string? Description { get; init; }

    /// <summary>Why the command cannot run on this host (its program is missing or not executable); null when it can.</summary>
    public string? UnavailableReason { get; init; }

    public bool Available => UnavailableReason is null;

    /// <summary>Commands of the same manifest run right after this one when its result has one of their states.</summary>
    public IReadOnlyList<CommandHook> Hooks { get; init; } = [];
}

/// <summary>A check hook (Sensu's hooks, Nagios' event handlers on the agent): on these states, run that command of the
/// same manifest (with those of the check's parameters it declares) and attach what it prints to the result.</summary>
public sealed record CommandHook(IReadOnlySet<Narada.Core.Formats.CheckStatus> On, string Command);
