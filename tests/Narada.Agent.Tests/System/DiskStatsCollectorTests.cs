using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using Narada.Core.Metrics;
using Narada.Plugins.System;

namespace Narada.Agent.Tests.SystemPlugin;

public sealed partial class DiskStatsCollectorTests
{
    // node_exporter's default --collector.diskstats.device-exclude, verbatim, as the independent oracle.
    [GeneratedRegex(@"^(z?ram|loop|fd|(h|s|v|xv)d[a-z]|nvme\d+n\d+p)\d+$")]
    private static partial Regex NodeExporterExclude();

    [Fact]
    public async Task Devices_equal_the_kernels_block_devices_minus_node_exporters_exclusions()
    {
        var samples = await new DiskStatsCollector().CollectAsync();
        var kernel = Directory.GetDirectories("/sys/block").Select(Path.GetFileName).Where(d => !NodeExporterExclude().IsMatch(d!));
        Assert.Equal(kernel.Order(), samples.Named("node_disk_reads_completed_total").Select(s => s.Label("device")).Order());
    }

    [Fact]
    public async Task Bytes_read_lie_between_two_kernel_readings_of_the_sector_count()
    {
        var device = Directory.GetDirectories("/sys/block").Select(Path.GetFileName).First(d => !NodeExporterExclude().IsMatch(d!))!;
        var before = ReadSysBlockStat(device);
        var samples = await new DiskStatsCollector().CollectAsync();
        var after = ReadSysBlockStat(device);
        Assert.InRange(samples.Value("node_disk_read_bytes_total", ("device", device)), before[2] * 512, after[2] * 512);
        Assert.InRange(samples.Value("node_disk_written_bytes_total", ("device", device)), before[6] * 512, after[6] * 512);
        Assert.InRange(samples.Value("node_disk_io_time_seconds_total", ("device", device)), before[9] / 1000, after[9] / 1000);
    }

    [Fact]
    public async Task Fixture_handles_11_15_and_17_column_kernels_skips_short_lines_and_excluded_devices()
    {
        using var fixture = new ProcFixture().Proc("diskstats", """
               8       0 sda 100 2 800 40 50 1 400 30 0 60 70
               8       1 sda1 1 2 3 4 5 6 7 8 9 10 11
             259       0 nvme0n1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
             259       1 nvme0n1p1 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15
               7       0 loop0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
             252       0 dm-0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17
             254       0 vdb 1 2 3
             254       1 short
            garbage
             x y vdc 1 2 3 4 5 6 7 8 9 10 11
            """);
        var samples = await new DiskStatsCollector(fixture.Paths).CollectAsync();

        Assert.Equal(["dm-0", "nvme0n1", "sda"], samples.Select(s => s.Label("device")).Distinct().Order());
        // The kernel's columns, and node_disk_info.
        Assert.Equal(11 + 1, samples.Count(s => s.Label("device") == "sda"));
        Assert.Equal(15 + 1, samples.Count(s => s.Label("device") == "nvme0n1"));
        Assert.Equal(17 + 1, samples.Count(s => s.Label("device") == "dm-0"));
        Assert.Equal(800.0 * 512, samples.Value("node_disk_read_bytes_total", ("device", "sda")));
        Assert.Equal(0.04, samples.Value("node_disk_read_time_seconds_total", ("device", "sda")));
        Assert.Equal(400.0 * 512, samples.Value("node_disk_written_bytes_total", ("device", "sda")));
        Assert.Equal(0.07, samples.Value("node_disk_io_time_weighted_seconds_total", ("device", "sda")), 12);
        Assert.Equal(MetricType.Gauge, samples.One("node_disk_io_now", ("device", "sda")).Type);
        Assert.Equal(14, samples.Value("node_disk_discarded_sectors_total", ("device", "dm-0")));
        Assert.Equal(16, samples.Value("node_disk_flush_requests_total", ("device", "dm-0")));
        Assert.Equal(0.017, samples.Value("node_disk_flush_requests_time_seconds_total", ("device", "dm-0")), 12);
    }

    [Fact]
    public void The_device_filter_agrees_with_node_exporters_regex()
    {
        string[] tokens = ["ram", "zram", "loop", "fd", "h", "s", "v", "xv", "d", "nvme", "n", "p", "a", "z", "0", "1", "9", "x", "-"];
        Gen.OneOf(tokens).Array[1, 6].Select(string.Concat).Sample(name =>
            DiskDeviceFilter.IsExcluded(Encoding.UTF8.GetBytes(name)) == NodeExporterExclude().IsMatch(name), iter: 5000);
    }

    private static double[] ReadSysBlockStat(string device) =>
        File.ReadAllText($"/sys/block/{device}/stat").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
}
