namespace Narada.Chaos.Tests;

/// <summary>The scenarios run one at a time: each starts several real processes, and timing them against each other on
/// a two-core machine would measure the machine, not the recovery.</summary>
[CollectionDefinition("chaos")]
public sealed class ChaosCollection;

/// <summary>Generous bounds for the short scenarios, so they hold on a loaded two-core machine.</summary>
internal static class Bounds
{
    /// <summary>A fault's recovery, restart of a .NET process included.</summary>
    public const double RecoveryMs = 30_000;
}
