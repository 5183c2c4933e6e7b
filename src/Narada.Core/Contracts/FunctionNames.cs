using System.Security.Cryptography;
using System.Text;

namespace Narada.Core.Contracts;

/// <summary>
/// The Gearman function names and unique keys of the Narada protocol (DESIGN.md, "Gearman function names"): the one place
/// they are spelled, for the agent that registers them, the controller that submits to them, and the tools.
/// </summary>
public static class FunctionNames
{
    /// <summary>Where agents send results and heartbeats, and anyone may push passive results.</summary>
    public const string Results = "narada.results";

    /// <summary>The verb of the function that answers with a host's facts (<c>narada.facts@host</c>).</summary>
    public const string FactsVerb = "facts";

    /// <summary>The verbs an agent serves for its own host, in the order it registers them.</summary>
    public static IReadOnlyList<string> HostVerbs { get; } =
        [DefinitionKind.Check.Verb(), DefinitionKind.Collector.Verb(), FactsVerb, DefinitionKind.Apply.Verb()];

    /// <summary>The verbs an agent also serves for each of its tags' pools (round-robin work).</summary>
    public static IReadOnlyList<string> PoolVerbs { get; } = [DefinitionKind.Check.Verb(), DefinitionKind.Collector.Verb()];

    /// <summary><c>narada.check@web01</c>: the function of <paramref name="kind"/> on one host.</summary>
    public static string ForHost(DefinitionKind kind, string host) => ForHost(kind.Verb(), host);

    /// <summary><c>narada.{verb}@host</c> for a verb of <see cref="HostVerbs"/>.</summary>
    public static string ForHost(string verb, string host) => $"narada.{verb}@{host}";

    /// <summary><c>narada.check@tag:web</c>: the function any one agent with the tag serves.</summary>
    public static string ForPool(DefinitionKind kind, string tag) =>
        PoolVerbs.Contains(kind.Verb()) ? ForPool(kind.Verb(), tag) : throw new ArgumentOutOfRangeException(nameof(kind), kind, "only checks and collectors go to pools");

    /// <summary><c>narada.{verb}@tag:tag</c> for a verb of <see cref="PoolVerbs"/>.</summary>
    public static string ForPool(string verb, string tag) => $"narada.{verb}@tag:{tag}";

    /// <summary><c>narada.facts@web01</c>.</summary>
    public static string Facts(string host) => ForHost(FactsVerb, host);

    /// <summary>The unique that coalesces a definition's runs on one target, <c>check/disk-root@web01</c>: a dead agent
    /// never piles up a backlog. Past what gearmand keeps (63 bytes) a readable prefix is kept and the rest is a digest.</summary>
    public static string Unique(DefinitionKind kind, string name, string target)
    {
        var unique = $"{kind.Verb()}/{name}@{target}";
        if (Encoding.UTF8.GetByteCount(unique) <= Narada.Gearman.Protocol.PacketLimits.MaxSentUniqueLength)
            return unique;
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(unique)))[..16];
        return $"{unique[..Math.Min(unique.Length, 40)]}#{digest}";
    }
}
