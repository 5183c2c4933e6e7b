using Narada.Core.Metrics;
using Narada.Plugins.System.Parsing;

namespace Narada.Plugins.System;

/// <summary>
/// <c>system.disk</c>: block device I/O from <c>/proc/diskstats</c> as node_exporter's diskstats collector reports it
/// (sectors are 512 bytes whatever the device, milliseconds become seconds), skipping the devices node_exporter skips.
/// </summary>
public sealed class DiskStatsCollector : ProcCollector
{
    private readonly string _diskstatsPath;

    // Value = raw * Multiplier / Divisor: dividing milliseconds by 1000 (rather than multiplying by 0.001) gives the
    // correctly rounded double, so seconds agree exactly with the kernel's count.
    private readonly record struct Column(string Name, string Help, MetricType Type, double Multiplier, double Divisor = 1);

    private const double Sector = 512;
    private const double MillisecondsPerSecond = 1000;

    // The kernel's columns after "major minor name", in order: 11 up to 4.18, 15 with discards, 17 with flushes.
    private static readonly Column[] Columns =
    [
        new("node_disk_reads_completed_total", "The total number of reads completed successfully.", MetricType.Counter, 1),
        new("node_disk_reads_merged_total", "The total number of reads merged.", MetricType.Counter, 1),
        new("node_disk_read_bytes_total", "The total number of bytes read successfully.", MetricType.Counter, Sector),
        new("node_disk_read_time_seconds_total", "The total number of seconds spent by all reads.", MetricType.Counter, 1, MillisecondsPerSecond),
        new("node_disk_writes_completed_total", "The total number of writes completed successfully.", MetricType.Counter, 1),
        new("node_disk_writes_merged_total", "The number of writes merged.", MetricType.Counter, 1),
        new("node_disk_written_bytes_total", "The total number of bytes written successfully.", MetricType.Counter, Sector),
        new("node_disk_write_time_seconds_total", "This is the total number of seconds spent by all writes.", MetricType.Counter, 1, MillisecondsPerSecond),
        new("node_disk_io_now", "The number of I/Os currently in progress.", MetricType.Gauge, 1),
        new("node_disk_io_time_seconds_total", "Total seconds spent doing I/Os.", MetricType.Counter, 1, MillisecondsPerSecond),
        new("node_disk_io_time_weighted_seconds_total", "The weighted # of seconds spent doing I/Os.", MetricType.Counter, 1, MillisecondsPerSecond),
        new("node_disk_discards_completed_total", "The total number of discards completed successfully.", MetricType.Counter, 1),
        new("node_disk_discards_merged_total", "The total number of discards merged.", MetricType.Counter, 1),
        new("node_disk_discarded_sectors_total", "The total number of sectors discarded successfully.", MetricType.Counter, 1),
        new("node_disk_discard_time_seconds_total", "This is the total number of seconds spent by all discards.", MetricType.Counter, 1, MillisecondsPerSecond),
        new("node_disk_flush_requests_total", "The total number of flush requests completed successfully", MetricType.Counter, 1),
        new("node_disk_flush_requests_time_seconds_total", "This is the total number of seconds spent by all flush requests.", MetricType.Counter, 1, MillisecondsPerSecond),
    ];

    private const int MinimumColumns = 11;

    private readonly LabelCache<IReadOnlyDictionary<string, string>> _deviceLabels = new(d => LabelSet.Of("device", d));
    private readonly LabelCache<Sample> _info;

    public DiskStatsCollector(SystemPaths? paths = null) : base(paths ?? SystemPaths.Default)
    {
        _diskstatsPath = Paths.ProcFile("diskstats");
        _info = new LabelCache<Sample>(Info); // a disk's identity does not change while it is there
    }

    public override string Name => "disk";

    public override string Description => "Block device reads, writes, bytes, time and queue (/proc/diskstats)";

    private protected override int ExpectedSamples => 4 * Columns.Length;

    internal override void AppendTo(List<Sample> samples)
    {
        using var text = ProcFile.Read(_diskstatsPath);
        Span<ulong> values = stackalloc ulong[Columns.Length];
        var lines = new LineReader(text.Span);
        while (lines.TryRead(out var line))
        {
            var fields = new FieldReader(line);
            if (!fields.TryNextUInt64(out _) || !fields.TryNextUInt64(out _) || !fields.TryNext(out var device))
                continue;
            if (DiskDeviceFilter.IsExcluded(device))
                continue;
            var count = 0;
            while (count < Columns.Length && fields.TryNextUInt64(out values[count]))
                count++;
            if (count < MinimumColumns)
                continue;
            var labels = _deviceLabels.Get(device);
            samples.Add(_info.Get(device));
            for (var i = 0; i < count; i++)
            {
                var column = Columns[i];
                samples.Add(new Sample(column.Name, values[i] * column.Multiplier / column.Divisor)
                { Help = column.Help, Type = column.Type, Labels = labels });
            }
        }
    }

    /// <summary>
    /// <c>node_disk_info</c> as node_exporter writes it: the device numbers (<c>/sys/class/block/DEV/dev</c>), and what
    /// udev recorded of it (model, path, revision, serial, wwn) in <c>/run/udev/data/bMAJOR:MINOR</c>, empty where udev
    /// has nothing.
    /// </summary>
    private Sample Info(string device)
    {
        var numbers = ProcFile.TryReadString(Path.Combine(Paths.Sys, "class", "block", device, "dev"))?.Trim().Split(':') ?? [];
        var (major, minor) = numbers is [var a, var b] ? (a, b) : ("", "");
        var udev = new Dictionary<string, string>(StringComparer.Ordinal);
        var file = Path.Combine(Paths.Root, "run", "udev", "data", $"b{major}:{minor}");
        if (major.Length > 0 && File.Exists(file))
        {
            foreach (var line in File.ReadLines(file))
            {
                if (!line.StartsWith("E:", StringComparison.Ordinal) || line.IndexOf('=', StringComparison.Ordinal) is not (> 2 and var eq))
                    continue;
                udev[line[2..eq]] = line[(eq + 1)..];
            }
        }
        string Udev(string key) => udev.TryGetValue(key, out var value) ? value : "";
        return new Sample("node_disk_info", 1)
        {
            Help = "Info of /sys/block/<block_device>.",
            Labels = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["device"] = device,
                ["major"] = major,
                ["minor"] = minor,
                ["model"] = Udev("ID_MODEL"),
                ["path"] = Udev("ID_PATH"),
                ["revision"] = Udev("ID_REVISION"),
                ["serial"] = Udev("ID_SERIAL_SHORT"),
                ["wwn"] = Udev("ID_WWN"),
            },
        };
    }
}
