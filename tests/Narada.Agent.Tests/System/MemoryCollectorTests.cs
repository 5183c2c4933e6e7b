using System.Globalization;
using Narada.Core.Metrics;
using Narada.Plugins.System;

namespace Narada.Agent.Tests.SystemPlugin;

public sealed class MemoryCollectorTests
{
    [Fact]
    public async Task MemTotal_in_bytes_is_the_kernels_kB_times_1024()
    {
        var samples = await new MemoryCollector().CollectAsync();
        var kernelKb = ReadMeminfo()["MemTotal"];
        Assert.Equal(kernelKb, samples.Value("node_memory_MemTotal_bytes") / 1024);
    }

    [Fact]
    public async Task Every_meminfo_field_becomes_one_gauge_with_node_exporter_naming()
    {
        var samples = await new MemoryCollector().CollectAsync();
        var fields = ReadMeminfo();
        Assert.Equal(fields.Count, samples.Count);
        Assert.Equal(MetricType.Gauge, samples.One("node_memory_Active_anon_bytes").Type);
        Assert.Contains(samples, s => s.Name == "node_memory_HugePages_Total");
        Assert.All(samples, s => Assert.Matches("^node_memory_[A-Za-z0-9_]+$", s.Name));
        // Constant for the life of the machine, so an exact comparison is fair.
        Assert.Equal(fields["SwapTotal"] * 1024, samples.Value("node_memory_SwapTotal_bytes"));
    }

    [Fact]
    public async Task Fixture_fields_are_sanitised_scaled_and_malformed_lines_skipped()
    {
        using var fixture = new ProcFixture().Proc("meminfo", """
            MemTotal:       2048 kB
            Active(anon):    100 kB
            Inactive(file):    7 kB
            HugePages_Total:   5
            Weird line without colon
            Bad:      x kB
            InMegabytes:   3 MB
            Trailing:  4 kB extra
            Some_total:    9
            : 12 kB
            MemFree:         1 kB
            """);
        var samples = await new MemoryCollector(fixture.Paths).CollectAsync();

        Assert.Equal(2048.0 * 1024, samples.Value("node_memory_MemTotal_bytes"));
        Assert.Equal(100.0 * 1024, samples.Value("node_memory_Active_anon_bytes"));
        Assert.Equal(7.0 * 1024, samples.Value("node_memory_Inactive_file_bytes"));
        Assert.Equal(5, samples.Value("node_memory_HugePages_Total"));
        Assert.Equal(MetricType.Counter, samples.One("node_memory_Some_total").Type);
        Assert.Equal(1024, samples.Value("node_memory_MemFree_bytes"));
        Assert.Equal(6, samples.Count);
    }

    private static Dictionary<string, double> ReadMeminfo() =>
        File.ReadLines("/proc/meminfo").Select(l => l.Split(':')).ToDictionary(
            p => p[0], p => double.Parse(p[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
}
