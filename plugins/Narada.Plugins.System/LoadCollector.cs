using Narada.Core.Metrics;
using Narada.Plugins.System.Parsing;

namespace Narada.Plugins.System;

/// <summary><c>system.load</c>: the 1, 5 and 15 minute load averages of <c>/proc/loadavg</c>.</summary>
public sealed class LoadCollector : ProcCollector
{
    private readonly string _loadavgPath;

    public LoadCollector(SystemPaths? paths = null) : base(paths ?? SystemPaths.Default) =>
        _loadavgPath = Paths.ProcFile("loadavg");

    public override string Name => "load";

    public override string Description => "Load averages over 1, 5 and 15 minutes (/proc/loadavg)";

    private protected override int ExpectedSamples => 3;

    internal override void AppendTo(List<Sample> samples)
    {
        using var text = ProcFile.Read(_loadavgPath);
        var fields = new FieldReader(text.Span);
        if (fields.TryNextDouble(out var load1))
            samples.Add(Gauge("node_load1", load1, "1m load average."));
        else
            return;
        if (fields.TryNextDouble(out var load5))
            samples.Add(Gauge("node_load5", load5, "5m load average."));
        else
            return;
        if (fields.TryNextDouble(out var load15))
            samples.Add(Gauge("node_load15", load15, "15m load average."));
    }
}
