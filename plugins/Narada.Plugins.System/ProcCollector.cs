using Narada.Core.Metrics;
using Narada.Core.Plugins;

namespace Narada.Plugins.System;

/// <summary>A built-in collector that reads kernel files synchronously (they are in memory) and appends samples.</summary>
public abstract class ProcCollector : IBuiltinCollector
{
    private protected ProcCollector(SystemPaths paths) => Paths = paths;

    /// <summary>Where the kernel files are read from.</summary>
    public SystemPaths Paths { get; }

    public abstract string Name { get; }

    public abstract string Description { get; }

    /// <summary>A capacity hint so the sample list is sized once.</summary>
    private protected virtual int ExpectedSamples => 16;

    /// <summary>Runs synchronously (procfs answers from memory); failures arrive through the returned task, as from any async method.</summary>
    public ValueTask<IReadOnlyList<Sample>> CollectAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
            return ValueTask.FromCanceled<IReadOnlyList<Sample>>(cancellationToken);
        try
        {
            var samples = new List<Sample>(ExpectedSamples);
            AppendTo(samples);
            return ValueTask.FromResult<IReadOnlyList<Sample>>(samples);
        }
        catch (Exception e)
        {
            return ValueTask.FromException<IReadOnlyList<Sample>>(e);
        }
    }

    /// <summary>Reads the sources and appends; throws only when a source cannot be read at all.</summary>
    internal abstract void AppendTo(List<Sample> samples);

    private protected static Sample Gauge(string name, double value, string help,
        IReadOnlyDictionary<string, string>? labels = null) =>
        labels is null
            ? new Sample(name, value) { Help = help }
            : new Sample(name, value) { Help = help, Labels = labels };

    private protected static Sample Counter(string name, double value, string help,
        IReadOnlyDictionary<string, string>? labels = null) =>
        labels is null
            ? new Sample(name, value) { Help = help, Type = MetricType.Counter }
            : new Sample(name, value) { Help = help, Type = MetricType.Counter, Labels = labels };
}
