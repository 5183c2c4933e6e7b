using Narada.Core.Metrics;
using Narada.Plugins.System;

namespace Narada.Agent.Tests.SystemPlugin;

public sealed class NetworkCollectorTests
{
    [Fact]
    public async Task Devices_equal_the_kernels_interfaces()
    {
        var samples = await new NetworkCollector().CollectAsync();
        var kernel = Directory.GetDirectories("/sys/class/net").Select(Path.GetFileName);
        Assert.Equal(kernel.Order(), samples.Named("node_network_receive_bytes_total").Select(s => s.Label("device")).Order());
        Assert.All(samples, s => Assert.Equal(MetricType.Counter, s.Type));
        // The 16 columns of /proc/net/dev, and rx_nohandler from sysfs where the kernel has it.
        Assert.Equal(File.Exists("/sys/class/net/lo/statistics/rx_nohandler") ? 17 : 16, samples.Count(s => s.Label("device") == "lo"));
    }

    [Fact]
    public async Task Byte_and_packet_counters_lie_between_two_sysfs_readings()
    {
        foreach (var device in Directory.GetDirectories("/sys/class/net").Select(Path.GetFileName))
        {
            var rxBefore = ReadStatistic(device!, "rx_bytes");
            var txPacketsBefore = ReadStatistic(device!, "tx_packets");
            var samples = await new NetworkCollector().CollectAsync();
            var rxAfter = ReadStatistic(device!, "rx_bytes");
            var txPacketsAfter = ReadStatistic(device!, "tx_packets");
            Assert.InRange(samples.Value("node_network_receive_bytes_total", ("device", device!)), rxBefore, rxAfter);
            Assert.InRange(samples.Value("node_network_transmit_packets_total", ("device", device!)), txPacketsBefore, txPacketsAfter);
        }
    }

    [Fact]
    public async Task Fixture_parses_both_colon_spacings_and_skips_headers_and_short_lines()
    {
        using var fixture = new ProcFixture().Proc("net/dev", """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:    3193      29    0    0    0     0          0         0     3193      29    0    0    0     0       0          0
              eth0:177762131 4479 1 2 3 4 5 6 251645 2709 7 8 9 10 11 12
              bad0: 1 2 3
              bad1: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 x
            nocolon 1 2 3
            """);
        var samples = await new NetworkCollector(fixture.Paths).CollectAsync();

        Assert.Equal(["eth0", "lo"], samples.Select(s => s.Label("device")).Distinct().Order());
        Assert.Equal(177762131, samples.Value("node_network_receive_bytes_total", ("device", "eth0")));
        Assert.Equal(2, samples.Value("node_network_receive_drop_total", ("device", "eth0")));
        Assert.Equal(6, samples.Value("node_network_receive_multicast_total", ("device", "eth0")));
        Assert.Equal(251645, samples.Value("node_network_transmit_bytes_total", ("device", "eth0")));
        Assert.Equal(10, samples.Value("node_network_transmit_colls_total", ("device", "eth0")));
        Assert.Equal(12, samples.Value("node_network_transmit_compressed_total", ("device", "eth0")));
    }

    private static double ReadStatistic(string device, string name) =>
        double.Parse(File.ReadAllText($"/sys/class/net/{device}/statistics/{name}"));
}
