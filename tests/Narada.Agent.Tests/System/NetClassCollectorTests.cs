using Narada.Core.Metrics;
using Narada.Plugins.System;

namespace Narada.Agent.Tests.SystemPlugin;

public sealed class NetClassCollectorTests
{
    [Fact]
    public async Task Devices_equal_the_kernels_interfaces_and_mtu_equals_sysfs()
    {
        var samples = await new NetClassCollector().CollectAsync();
        var kernel = Directory.GetDirectories("/sys/class/net").Select(Path.GetFileName).Order().ToList();
        Assert.Equal(kernel, samples.Named("node_network_info").Select(s => s.Label("device")).Order());
        Assert.Equal(kernel, samples.Named("node_network_up").Select(s => s.Label("device")).Order());
        foreach (var device in kernel)
            Assert.Equal(double.Parse(File.ReadAllText($"/sys/class/net/{device}/mtu")), samples.Value("node_network_mtu_bytes", ("device", device!)));
    }

    [Fact]
    public async Task Fixture_properties_are_parsed_and_unreadable_files_are_left_out()
    {
        using var fixture = new ProcFixture()
            .Sys("class/net/bonding_masters", "bond0\n") // a regular file beside the interfaces, not one of them
            .Sys("class/net/eth0/address", "02:fc:00:00:00:01\n")
            .Sys("class/net/eth0/broadcast", "ff:ff:ff:ff:ff:ff\n")
            .Sys("class/net/eth0/duplex", "full\n")
            .Sys("class/net/eth0/ifalias", "uplink to rack 3\n")
            .Sys("class/net/eth0/operstate", "up\n")
            .Sys("class/net/eth0/flags", "0x1003\n")
            .Sys("class/net/eth0/dev_id", "0x0\n")
            .Sys("class/net/eth0/mtu", "9000\n")
            .Sys("class/net/eth0/speed", "1000\n")
            .Sys("class/net/eth0/carrier_changes", "7\n")
            .Sys("class/net/eth0/ifindex", "4\n")
            .Sys("class/net/eth0/type", "1\n")
            .Sys("class/net/ifb0/operstate", "down\n")
            .Sys("class/net/ifb0/speed", "-1\n")
            .Sys("class/net/ifb0/mtu", "not a number\n");
        // Open succeeds and read fails (EISDIR), as reading the carrier of a down link fails with EINVAL.
        fixture.MakeDirectory("sys/class/net/ifb0/carrier");
        var samples = await new NetClassCollector(fixture.Paths).CollectAsync();

        var info = samples.One("node_network_info", ("device", "eth0"));
        Assert.Equal(("02:fc:00:00:00:01", "ff:ff:ff:ff:ff:ff", "full", "uplink to rack 3", "up"),
            (info.Label("address"), info.Label("broadcast"), info.Label("duplex"), info.Label("ifalias"), info.Label("operstate")));
        Assert.Equal(4099, samples.Value("node_network_flags", ("device", "eth0")));
        Assert.Equal(0, samples.Value("node_network_device_id", ("device", "eth0")));
        Assert.Equal(9000, samples.Value("node_network_mtu_bytes", ("device", "eth0")));
        Assert.Equal(125_000_000, samples.Value("node_network_speed_bytes", ("device", "eth0")));
        Assert.Equal(MetricType.Counter, samples.One("node_network_carrier_changes_total", ("device", "eth0")).Type);
        Assert.Equal(1, samples.Value("node_network_up", ("device", "eth0")));

        // node_exporter reports an unknown speed (-1) as it is, scaled, unless told to ignore invalid speeds.
        Assert.Equal(-125_000, samples.Value("node_network_speed_bytes", ("device", "ifb0")));
        Assert.Equal(0, samples.Value("node_network_up", ("device", "ifb0")));
        Assert.DoesNotContain(samples, s => s.Label("device") == "ifb0" && s.Name is "node_network_carrier" or "node_network_mtu_bytes" or "node_network_flags");
        var ifb0 = samples.One("node_network_info", ("device", "ifb0"));
        Assert.Equal(["", "", "", "", "down"], new[] { "address", "broadcast", "duplex", "ifalias", "operstate" }.Select(ifb0.Label));
        Assert.DoesNotContain(samples, s => s.Label("device") == "bonding_masters");
    }

    [Fact]
    public async Task Info_is_reused_while_the_text_is_the_same_and_rebuilt_when_it_changes()
    {
        using var fixture = new ProcFixture().Sys("class/net/eth0/operstate", "up\n").Sys("class/net/eth0/address", "02:00:00:00:00:01\n");
        var collector = new NetClassCollector(fixture.Paths);
        var first = (await collector.CollectAsync()).One("node_network_info");
        Assert.Same(first, (await collector.CollectAsync()).One("node_network_info"));

        fixture.Sys("class/net/eth0/operstate", "down\n");
        var samples = await collector.CollectAsync();
        Assert.Equal("down", samples.One("node_network_info").Label("operstate"));
        Assert.Equal(0, samples.Value("node_network_up"));
    }

    [Fact]
    public async Task No_class_net_directory_is_a_typed_error()
    {
        using var fixture = new ProcFixture();
        await Assert.ThrowsAsync<CollectorSourceException>(async () => await new NetClassCollector(fixture.Paths).CollectAsync());
    }
}
