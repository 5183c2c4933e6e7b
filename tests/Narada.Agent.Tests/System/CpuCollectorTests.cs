using System.Globalization;
using Narada.Core.Metrics;
using Narada.Plugins.System;

namespace Narada.Agent.Tests.SystemPlugin;

public sealed class CpuCollectorTests
{
    private static readonly string[] Modes = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"];

    [Fact]
    public async Task Cpu_times_lie_between_two_kernel_readings_taken_around_the_collection()
    {
        var hz = await KernelTools.ClockTicksAsync();
        var before = ReadProcStatCpus();
        var samples = await new CpuCollector().CollectAsync();
        var after = ReadProcStatCpus();

        Assert.Equal(before.Keys.Order(), samples.Named("node_cpu_seconds_total").Select(s => s.Label("cpu")).Distinct().Order());
        foreach (var (cpu, ticksBefore) in before)
            for (var m = 0; m < Modes.Length; m++)
            {
                var seconds = samples.Value("node_cpu_seconds_total", ("cpu", cpu), ("mode", Modes[m]));
                Assert.InRange(seconds, ticksBefore[m] / hz, after[cpu][m] / hz);
            }
        Assert.All(samples.Named("node_cpu_seconds_total"), s => Assert.Equal(MetricType.Counter, s.Type));
    }

    [Fact]
    public async Task Reports_one_cpu_label_per_cpu_line_of_proc_stat_and_per_processor()
    {
        var samples = await new CpuCollector().CollectAsync();
        var cpus = samples.Named("node_cpu_seconds_total").Select(s => s.Label("cpu")).Distinct().Count();
        Assert.Equal(ReadProcStatCpus().Count, cpus);
        Assert.Equal(Environment.ProcessorCount, cpus);
    }

    [Fact]
    public async Task Boot_time_equals_btime_and_activity_counters_are_present()
    {
        var btime = File.ReadLines("/proc/stat").Single(l => l.StartsWith("btime ", StringComparison.Ordinal)).Split(' ')[1];
        var samples = await new CpuCollector().CollectAsync();
        Assert.Equal(double.Parse(btime, CultureInfo.InvariantCulture), samples.Value("node_boot_time_seconds"));
        Assert.Equal(MetricType.Counter, samples.One("node_context_switches_total").Type);
        Assert.Equal(MetricType.Counter, samples.One("node_forks_total").Type);
        Assert.Equal(MetricType.Gauge, samples.One("node_procs_running").Type);
        Assert.True(samples.Value("node_procs_running") >= 1, "this test's own thread is running");
        Assert.True(samples.Value("node_context_switches_total") > 0);
    }

    [Fact]
    public async Task Fixture_cpu_lines_are_converted_to_seconds_and_malformed_lines_are_skipped()
    {
        var hz = await KernelTools.ClockTicksAsync();
        using var fixture = new ProcFixture().Proc("stat", """
            cpu  1000 0 0 0 0 0 0 0 0 0
            cpu0 500 10 200 9000 7 0 3 0 40 2
            cpu1 300 abc 1
            cpuX 1 2 3 4 5 6 7 8
            cpu7 100 0 0 0
            ctxt
            ctxt notanumber
            garbage \u0001\u0002 line with no meaning
            intr 777 0 0 1
            ctxt 123456
            btime 1700000000
            processes 4242
            procs_running 3
            procs_blocked 1

            """);
        var samples = await new CpuCollector(fixture.Paths).CollectAsync();

        Assert.Equal(500 / hz, samples.Value("node_cpu_seconds_total", ("cpu", "0"), ("mode", "user")));
        Assert.Equal(9000 / hz, samples.Value("node_cpu_seconds_total", ("cpu", "0"), ("mode", "idle")));
        Assert.Equal(40 / hz, samples.Value("node_cpu_guest_seconds_total", ("cpu", "0"), ("mode", "user")));
        Assert.Equal(2 / hz, samples.Value("node_cpu_guest_seconds_total", ("cpu", "0"), ("mode", "nice")));
        // A garbled column ends that cpu's line: the columns before it stay, nothing shifts into the wrong mode.
        Assert.Equal(["user"], samples.Named("node_cpu_seconds_total").Where(s => s.Label("cpu") == "1").Select(s => s.Label("mode")));
        // An old kernel's short line reports the modes it has.
        Assert.Equal(4, samples.Named("node_cpu_seconds_total").Count(s => s.Label("cpu") == "7"));
        Assert.DoesNotContain(samples, s => s.Labels.TryGetValue("cpu", out var c) && c == "X");
        Assert.Equal(123456, samples.Value("node_context_switches_total"));
        Assert.Equal(777, samples.Value("node_intr_total"));
        Assert.Equal(1700000000, samples.Value("node_boot_time_seconds"));
        Assert.Equal(4242, samples.Value("node_forks_total"));
        Assert.Equal(3, samples.Value("node_procs_running"));
        Assert.Equal(1, samples.Value("node_procs_blocked"));
    }

    [Fact]
    public async Task A_missing_proc_stat_is_a_typed_error_naming_the_file()
    {
        using var fixture = new ProcFixture();
        var error = await Assert.ThrowsAsync<CollectorSourceException>(async () => await new CpuCollector(fixture.Paths).CollectAsync());
        Assert.Equal(Path.Combine(fixture.Paths.Proc, "stat"), error.SourcePath);
        Assert.Contains("stat", error.Message);
    }

    /// <summary>cpuN → the first eight tick columns, straight from the kernel.</summary>
    private static Dictionary<string, ulong[]> ReadProcStatCpus()
    {
        var cpus = new Dictionary<string, ulong[]>();
        foreach (var line in File.ReadLines("/proc/stat"))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts[0].StartsWith("cpu", StringComparison.Ordinal) && parts[0].Length > 3)
                cpus[parts[0][3..]] = parts.Skip(1).Take(8).Select(p => ulong.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        }
        return cpus;
    }
}
