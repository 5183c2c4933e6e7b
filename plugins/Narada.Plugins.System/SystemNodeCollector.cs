using System.Diagnostics;
using Narada.Core.Metrics;
using Narada.Plugins.System.Parsing;

namespace Narada.Plugins.System;

/// <summary>
/// <c>system.node</c>: every group at once (cpu, memory, load, filesystem, disk, network, uptime, filefd, entropy,
/// vmstat, sockstat, netstat, pressure, uname, os). A group whose source
/// is missing (no /proc/diskstats in a container) does not sink the rest: like node_exporter, each group reports
/// <c>node_scrape_collector_success</c> and <c>node_scrape_collector_duration_seconds</c> {collector}.
/// </summary>
public sealed class SystemNodeCollector : ProcCollector
{
    private readonly ProcCollector[] _parts;
    private readonly IReadOnlyDictionary<string, string>[] _partLabels;

    public SystemNodeCollector(SystemPaths? paths = null) : base(paths ?? SystemPaths.Default)
    {
        // Boot time comes with the cpu group's /proc/stat pass; the uptime group leaves it out so it appears once.
        _parts =
        [
            new CpuCollector(Paths), new MemoryCollector(Paths), new LoadCollector(Paths), new FilesystemCollector(Paths),
            new DiskStatsCollector(Paths), new NetworkCollector(Paths), new UptimeCollector(Paths, includeBootTime: false),
            new FilefdCollector(Paths), new EntropyCollector(Paths), new VmstatCollector(Paths), new SockstatCollector(Paths),
            new NetstatCollector(Paths), new PressureCollector(Paths), new UnameCollector(Paths), new OsCollector(Paths),
        ];
        _partLabels = Array.ConvertAll(_parts, p => LabelSet.Of("collector", p.Name));
    }

    public override string Name => "node";

    public override string Description => "All system metrics: cpu, memory, load, filesystems, disks, network, uptime, file handles, " +
        "entropy, paging, sockets, IP/TCP/UDP counters, pressure stalls, uname, os";

    private protected override int ExpectedSamples => 256;

    internal override void AppendTo(List<Sample> samples)
    {
        Exception? firstError = null;
        var failures = 0;
        Span<double> durations = stackalloc double[_parts.Length];
        Span<bool> succeeded = stackalloc bool[_parts.Length];
        for (var i = 0; i < _parts.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                _parts[i].AppendTo(samples);
                succeeded[i] = true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException
                                           or DllNotFoundException or EntryPointNotFoundException)
            {
                firstError ??= e;
                failures++;
            }
            durations[i] = Stopwatch.GetElapsedTime(started).TotalSeconds;
        }
        if (failures == _parts.Length)
            throw firstError!;
        for (var i = 0; i < _parts.Length; i++)
        {
            samples.Add(Gauge("node_scrape_collector_duration_seconds", durations[i],
                "node_exporter: Duration of a collector scrape.", _partLabels[i]));
            samples.Add(Gauge("node_scrape_collector_success", succeeded[i] ? 1 : 0,
                "node_exporter: Whether a collector succeeded.", _partLabels[i]));
        }
    }
}
