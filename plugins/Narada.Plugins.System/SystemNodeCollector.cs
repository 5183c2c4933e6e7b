using System.Diagnostics;
using Narada.Core.Metrics;
using Narada.Plugins.System.Parsing;

namespace Narada.Plugins.System;

/// <summary>
/// <c>system.node</c>: every group at once (cpu, memory, load, filesystem, disk, network, uptime, filefd, entropy,
/// vmstat, sockstat, netstat, pressure, uname, os, netclass, arp, softnet, time, timex, cpufreq). A group whose source
/// is missing (no /proc/diskstats in a container) does not sink the rest: like node_exporter, each group reports
/// <c>node_scrape_collector_success</c> and <c>node_scrape_collector_duration_seconds</c> {collector}. The collection
/// fails only when every group that reads kernel files failed: the time and timex groups ask the clock, which always
/// answers, and would otherwise hide a wrong /proc or /sys behind a collection of nothing but the time.
/// </summary>
public sealed class SystemNodeCollector : ProcCollector
{
    private readonly ProcCollector[] _parts;
    private readonly IReadOnlyDictionary<string, string>[] _partLabels;
    private readonly bool[] _readsFiles;
    private readonly int _fileParts;

    public SystemNodeCollector(SystemPaths? paths = null) : base(paths ?? SystemPaths.Default)
    {
        // Boot time comes with the cpu group's /proc/stat pass; the uptime group leaves it out so it appears once.
        // node_time_seconds is the time group's, as in node_exporter.
        _parts =
        [
            new CpuCollector(Paths), new MemoryCollector(Paths), new LoadCollector(Paths), new FilesystemCollector(Paths),
            new DiskStatsCollector(Paths), new NetworkCollector(Paths), new UptimeCollector(Paths, includeBootTime: false),
            new FilefdCollector(Paths), new EntropyCollector(Paths), new VmstatCollector(Paths), new SockstatCollector(Paths),
            new NetstatCollector(Paths), new PressureCollector(Paths), new UnameCollector(Paths), new OsCollector(Paths),
            new NetClassCollector(Paths), new ArpCollector(Paths), new SoftnetCollector(Paths), new TimeCollector(Paths),
            new TimexCollector(Paths), new CpuFreqCollector(Paths),
        ];
        _partLabels = Array.ConvertAll(_parts, p => LabelSet.Of("collector", p.Name));
        _readsFiles = Array.ConvertAll(_parts, p => p is not (TimeCollector or TimexCollector));
        _fileParts = _readsFiles.Count(r => r);
    }

    public override string Name => "node";

    public override string Description => "All system metrics: cpu, memory, load, filesystems, disks, network, uptime, file handles, " +
        "entropy, paging, sockets, IP/TCP/UDP counters, pressure stalls, uname, os, interface properties, ARP entries, softnet, " +
        "time and zone, clock discipline, CPU frequency";

    private protected override int ExpectedSamples => 384;

    internal override void AppendTo(List<Sample> samples)
    {
        Exception? firstError = null;
        var fileFailures = 0;
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
                if (_readsFiles[i])
                    fileFailures++;
            }
            durations[i] = Stopwatch.GetElapsedTime(started).TotalSeconds;
        }
        if (fileFailures == _fileParts)
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
