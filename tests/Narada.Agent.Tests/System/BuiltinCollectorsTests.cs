using Narada.Plugins.System;

namespace Narada.Agent.Tests.SystemPlugin;

public sealed class BuiltinCollectorsTests
{
    [Fact]
    public void Lists_node_and_each_group_under_unique_names()
    {
        var registry = new BuiltinCollectors();
        Assert.Equal(["arp", "cpu", "cpufreq", "disk", "entropy", "filefd", "filesystem", "load", "memory", "netclass", "netstat", "network", "node", "os",
                "pressure", "sockstat", "softnet", "time", "timex", "uname", "uptime", "vmstat"],
            registry.All.Select(c => c.Name).Order());
        Assert.All(registry.All, c => Assert.False(string.IsNullOrWhiteSpace(c.Description)));
    }

    [Theory]
    [InlineData("node", typeof(SystemNodeCollector))]
    [InlineData("system.node", typeof(SystemNodeCollector))]
    [InlineData("system.cpu", typeof(CpuCollector))]
    [InlineData("disk", typeof(DiskStatsCollector))]
    public void Finds_collectors_by_command_or_full_name(string name, Type expected)
    {
        Assert.True(new BuiltinCollectors().TryGet(name, out var collector));
        Assert.IsType(expected, collector);
    }

    [Theory]
    [InlineData("")]
    [InlineData("system.")]
    [InlineData("nagios.node")]
    [InlineData("NODE")]
    public void Unknown_names_are_not_found(string name) => Assert.False(new BuiltinCollectors().TryGet(name, out _));

    [Fact]
    public async Task Collectors_share_the_configured_roots()
    {
        using var fixture = new ProcFixture().Proc("loadavg", "9.5 8.5 7.5 1/1 1\n");
        Assert.True(new BuiltinCollectors(fixture.Paths).TryGet("system.load", out var load));
        Assert.Equal(9.5, (await load.CollectAsync()).Value("node_load1"));
    }
}
