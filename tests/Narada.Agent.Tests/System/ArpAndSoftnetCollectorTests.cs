using Narada.Core.Metrics;
using Narada.Plugins.System;

namespace Narada.Agent.Tests.SystemPlugin;

public sealed class ArpAndSoftnetCollectorTests
{
    [Fact]
    public async Task Arp_entries_are_counted_per_device_and_odd_lines_skipped()
    {
        using var fixture = new ProcFixture().Proc("net/arp", """
            IP address       HW type     Flags       HW address            Mask     Device
            192.0.2.1        0x1         0x2         02:fc:00:00:00:05     *        eth0
            192.0.2.7        0x1         0x0         00:00:00:00:00:00     *        eth0
            198.51.100.9     0x1         0x2         02:fc:00:00:00:09     *        br-lan
            192.0.2.8        0x1         0x2         02:fc:00:00:00:06     *        eth0

            truncated        0x1
            """);
        var samples = await new ArpCollector(fixture.Paths).CollectAsync();
        Assert.Equal(2, samples.Count);
        Assert.Equal(3, samples.Value("node_arp_entries", ("device", "eth0")));
        Assert.Equal(1, samples.Value("node_arp_entries", ("device", "br-lan")));
        Assert.All(samples, s => Assert.Equal(MetricType.Gauge, s.Type));
    }

    [Fact]
    public async Task Arp_with_only_the_header_has_no_series_and_a_missing_table_is_an_error()
    {
        using var fixture = new ProcFixture().Proc("net/arp", "IP address       HW type     Flags       HW address            Mask     Device\n");
        Assert.Empty(await new ArpCollector(fixture.Paths).CollectAsync());
        File.Delete(Path.Combine(fixture.Paths.Proc, "net/arp"));
        await Assert.ThrowsAsync<CollectorSourceException>(async () => await new ArpCollector(fixture.Paths).CollectAsync());
    }

    [Fact]
    public async Task Arp_counts_equal_the_kernels_table()
    {
        var table = File.ReadLines("/proc/net/arp").Skip(1).Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 6).GroupBy(f => f[5]).ToDictionary(g => g.Key, g => (double)g.Count());
        var samples = await new ArpCollector().CollectAsync();
        Assert.Equal(table.OrderBy(kv => kv.Key), samples.ToDictionary(s => s.Label("device"), s => s.Value).OrderBy(kv => kv.Key));
    }

    [Fact]
    public async Task Softnet_columns_are_hex_and_cpus_are_numbered_by_line()
    {
        using var fixture = new ProcFixture().Proc("net/softnet_stat", """
            00000052 00000001 0000000a 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000
            garbage line
            0000ffff 00000000 00000002 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000002 00000000 00000000

            """);
        var samples = await new SoftnetCollector(fixture.Paths).CollectAsync();
        Assert.Equal(0x52, samples.Value("node_softnet_processed_total", ("cpu", "0")));
        Assert.Equal(1, samples.Value("node_softnet_dropped_total", ("cpu", "0")));
        Assert.Equal(10, samples.Value("node_softnet_times_squeezed_total", ("cpu", "0")));
        // The line that does not parse still holds its CPU's place.
        Assert.Equal(0xffff, samples.Value("node_softnet_processed_total", ("cpu", "2")));
        Assert.Equal(6, samples.Count);
        Assert.All(samples, s => Assert.Equal(MetricType.Counter, s.Type));
    }

    [Fact]
    public async Task Softnet_has_a_cpu_per_kernel_line()
    {
        var lines = File.ReadAllLines("/proc/net/softnet_stat").Length;
        var samples = await new SoftnetCollector().CollectAsync();
        Assert.Equal(Enumerable.Range(0, lines).Select(i => i.ToString()), samples.Named("node_softnet_processed_total").Select(s => s.Label("cpu")));
    }
}
