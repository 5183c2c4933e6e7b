using System.Globalization;
using Narada.Plugins.System;

namespace Narada.Agent.Tests.SystemPlugin;

public sealed class LoadAndUptimeCollectorTests
{
    [Fact]
    public async Task Load_averages_equal_proc_loadavg_read_just_before_or_after()
    {
        var before = ReadLoadavg();
        var samples = await new LoadCollector().CollectAsync();
        var after = ReadLoadavg();
        string[] names = ["node_load1", "node_load5", "node_load15"];
        for (var i = 0; i < 3; i++)
            Assert.Contains(samples.Value(names[i]), new[] { before[i], after[i] });
        Assert.Equal(3, samples.Count);
    }

    [Fact]
    public async Task Uptime_lies_between_two_kernel_readings_and_boot_time_equals_btime()
    {
        var before = ReadUptime();
        var samples = await new UptimeCollector().CollectAsync();
        var after = ReadUptime();

        Assert.InRange(samples.Value("node_uptime_seconds"), before, after);
        Assert.Empty(samples.Named("node_time_seconds")); // the time collector's, as in node_exporter
        var btime = File.ReadLines("/proc/stat").Single(l => l.StartsWith("btime ", StringComparison.Ordinal)).Split(' ')[1];
        Assert.Equal(double.Parse(btime, CultureInfo.InvariantCulture), samples.Value("node_boot_time_seconds"));
    }

    [Fact]
    public async Task Fixture_load_and_uptime_are_read_and_garbage_yields_nothing_rather_than_an_error()
    {
        using var fixture = new ProcFixture()
            .Proc("loadavg", "1.50 0.75 0.25 2/300 4242\n")
            .Proc("uptime", "12345.67 20000.00\n")
            .Proc("stat", "cpu 1 2 3\nbtime notanumber\n");
        var load = await new LoadCollector(fixture.Paths).CollectAsync();
        Assert.Equal(1.5, load.Value("node_load1"));
        Assert.Equal(0.75, load.Value("node_load5"));
        Assert.Equal(0.25, load.Value("node_load15"));

        var uptime = await new UptimeCollector(fixture.Paths).CollectAsync();
        Assert.Equal(12345.67, uptime.Value("node_uptime_seconds"));
        Assert.Empty(uptime.Named("node_boot_time_seconds"));

        fixture.Proc("loadavg", "0.5 garbage\n").Proc("uptime", "");
        Assert.Equal(["node_load1"], (await new LoadCollector(fixture.Paths).CollectAsync()).Select(s => s.Name));
        Assert.Empty(await new UptimeCollector(fixture.Paths).CollectAsync());
    }

    private static double[] ReadLoadavg() =>
        File.ReadAllText("/proc/loadavg").Split(' ').Take(3).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();

    private static double ReadUptime() =>
        double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture);
}
