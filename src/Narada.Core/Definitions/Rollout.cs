using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>How an apply reaches the fleet: batch size, tolerated failures and the pause between batches.</summary>
public sealed record Rollout(RolloutAmount Batch, RolloutAmount MaxFailures, TimeSpan Pause)
{
    /// <summary>A quarter of the hosts at a time, stop at the first failure, no pause.</summary>
    public static Rollout Default { get; } = new(RolloutAmount.Percent(25), RolloutAmount.Count(0), TimeSpan.Zero);

    /// <summary>Hosts per batch for a rollout over <paramref name="hosts"/> hosts: a percentage rounds up, at least 1.</summary>
    public int BatchSize(int hosts) => Math.Max(1, Batch.Of(hosts, roundUp: true));

    /// <summary>Failures tolerated before the rollout stops: a percentage rounds down.</summary>
    public int AllowedFailures(int hosts) => MaxFailures.Of(hosts, roundUp: false);
}
