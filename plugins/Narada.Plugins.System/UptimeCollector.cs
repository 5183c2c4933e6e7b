using Narada.Core.Metrics;
using Narada.Plugins.System.Parsing;

namespace Narada.Plugins.System;

/// <summary>
/// <c>system.uptime</c>: boot time from <c>/proc/stat</c> btime (<c>node_boot_time_seconds</c>) and
/// <c>node_uptime_seconds</c> from <c>/proc/uptime</c>. node_exporter has no uptime metric (it leaves time − boot time
/// to PromQL); <c>node_uptime_seconds</c> is Narada's, read straight from the kernel. The wall clock,
/// <c>node_time_seconds</c>, is <see cref="TimeCollector"/>'s, as it is node_exporter's time collector's.
/// </summary>
public sealed class UptimeCollector : ProcCollector
{
    private readonly string _uptimePath;
    private readonly string _statPath;

    private readonly bool _includeBootTime;

    public UptimeCollector(SystemPaths? paths = null) : this(paths, includeBootTime: true) { }

    /// <summary>The node collector already reports boot time from its cpu part and asks for it to be left out.</summary>
    internal UptimeCollector(SystemPaths? paths, bool includeBootTime) : base(paths ?? SystemPaths.Default)
    {
        _includeBootTime = includeBootTime;
        _uptimePath = Paths.ProcFile("uptime");
        _statPath = Paths.ProcFile("stat");
    }

    public override string Name => "uptime";

    public override string Description => "Boot time and uptime in seconds";

    private protected override int ExpectedSamples => 2;

    internal override void AppendTo(List<Sample> samples)
    {
        using (var uptime = ProcFile.Read(_uptimePath))
        {
            var fields = new FieldReader(uptime.Span);
            if (fields.TryNextDouble(out var seconds))
                samples.Add(Gauge("node_uptime_seconds", seconds, "Seconds since boot, from /proc/uptime."));
        }

        if (!_includeBootTime)
            return;
        using var stat = ProcFile.Read(_statPath);
        var lines = new LineReader(stat.Span);
        while (lines.TryRead(out var line))
        {
            if (!line.StartsWith("btime "u8))
                continue;
            var fields = new FieldReader(line["btime"u8.Length..]);
            if (fields.TryNextUInt64(out var bootTime))
                samples.Add(Gauge("node_boot_time_seconds", bootTime, "Node boot time, in unixtime."));
            return;
        }
    }
}
