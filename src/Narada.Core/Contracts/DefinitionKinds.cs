using System.Diagnostics.CodeAnalysis;

namespace Narada.Core.Contracts;

/// <summary>One kind's spellings: its YAML <c>kind</c> value, and the verb of its function names and unique keys
/// (<c>narada.check@web01</c>, <c>check/disk-root@web01</c>) when agents run it.</summary>
public sealed record DefinitionKindInfo(DefinitionKind Kind, string YamlName, string? Verb)
{
    /// <summary>True for the kinds an agent runs as a job (checks, collectors, applies).</summary>
    public bool RunsOnAgents => Verb is not null;
}

/// <summary>The table of definition kinds: the one place their names are spelled.</summary>
public static class DefinitionKinds
{
    /// <summary>Every kind, in the order documentation lists them.</summary>
    public static IReadOnlyList<DefinitionKindInfo> All { get; } =
    [
        new(DefinitionKind.Check, "Check", "check"),
        new(DefinitionKind.Collector, "Collector", "collect"),
        new(DefinitionKind.Apply, "Apply", "apply"),
        new(DefinitionKind.Handler, "Handler", null),
        new(DefinitionKind.Host, "Host", null),
        new(DefinitionKind.Group, "Group", null),
        new(DefinitionKind.Downtime, "Downtime", null),
    ];

    /// <summary>The YAML <c>kind</c> values, for error messages and suggestions.</summary>
    public static IReadOnlyList<string> YamlNames { get; } = All.Select(k => k.YamlName).ToArray();

    /// <summary>The row of <paramref name="kind"/>; an undefined value is an error, never a default.</summary>
    public static DefinitionKindInfo Of(DefinitionKind kind) =>
        (uint)kind < (uint)All.Count ? All[(int)kind] : throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a definition kind");

    /// <summary>The verb of function names and uniques; throws for kinds agents do not run (handlers, hosts, groups).</summary>
    public static string Verb(this DefinitionKind kind) =>
        Of(kind).Verb ?? throw new ArgumentOutOfRangeException(nameof(kind), kind, "agents do not run this kind");

    /// <summary>The kind whose YAML name is <paramref name="yamlName"/> (case-sensitive, as written in definitions).</summary>
    public static bool TryParseYaml(string yamlName, [NotNullWhen(true)] out DefinitionKindInfo? kind)
    {
        kind = All.FirstOrDefault(k => k.YamlName == yamlName);
        return kind is not null;
    }

    /// <summary>The kind agents run under <paramref name="verb"/> (<c>check</c>, <c>collect</c>, <c>apply</c>).</summary>
    public static bool TryParseVerb(string verb, [NotNullWhen(true)] out DefinitionKindInfo? kind)
    {
        kind = All.FirstOrDefault(k => k.Verb is not null && k.Verb == verb);
        return kind is not null;
    }
}
