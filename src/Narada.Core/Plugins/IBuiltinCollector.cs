using Narada.Core.Metrics;

namespace Narada.Core.Plugins;

/// <summary>A collector compiled into the agent (procfs and the like): gathers samples without starting a process.</summary>
public interface IBuiltinCollector
{
    /// <summary>The command name under the <c>system</c> plugin, e.g. <c>node</c> for <c>system.node</c>.</summary>
    string Name { get; }

    /// <summary>One line saying what the collector gathers.</summary>
    string Description { get; }

    /// <summary>Reads the current values; throws only when the source cannot be read at all.</summary>
    ValueTask<IReadOnlyList<Sample>> CollectAsync(CancellationToken cancellationToken = default);
}
