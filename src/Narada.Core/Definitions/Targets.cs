using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>
/// Which hosts a definition runs on: a host matches when it is listed by name, or when it carries ALL listed tags.
/// With <see cref="RoundRobin"/> the work goes once to the <c>@tag:</c> pool of the single listed tag instead.
/// </summary>
public sealed record Targets(IReadOnlyList<string> Hosts, IReadOnlyList<string> Tags, bool RoundRobin)
{
    /// <summary>The one tag whose agents share round-robin work; null unless <see cref="RoundRobin"/>.</summary>
    public string? PoolTag => RoundRobin && Tags.Count == 1 ? Tags[0] : null;

    /// <summary>True when no host could ever match: nothing listed, or round-robin without exactly one tag.</summary>
    public bool CanNeverMatch => RoundRobin ? Tags.Count != 1 : Hosts.Count == 0 && Tags.Count == 0;

    /// <summary>Whether the host, with the given tags, is targeted (for round-robin: is a member of the pool).</summary>
    public bool Matches(string host, IReadOnlySet<string> tags)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(tags);
        if (RoundRobin)
        {
            return PoolTag is { } tag && tags.Contains(tag);
        }

        if (Hosts.Contains(host, StringComparer.Ordinal))
        {
            return true;
        }

        return Tags.Count > 0 && Tags.All(tags.Contains);
    }
}
