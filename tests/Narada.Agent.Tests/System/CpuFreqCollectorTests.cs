using Narada.Plugins.System;

namespace Narada.Agent.Tests.SystemPlugin;

public sealed class CpuFreqCollectorTests
{
    [Fact]
    public async Task Fixture_frequencies_are_hertz_per_cpu_and_unreadable_files_left_out()
    {
        using var fixture = new ProcFixture()
            .Sys("devices/system/cpu/cpu0/cpufreq/cpuinfo_cur_freq", "2400000\n")
            .Sys("devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq", "3600000\n")
            .Sys("devices/system/cpu/cpu0/cpufreq/cpuinfo_min_freq", "800000\n")
            .Sys("devices/system/cpu/cpu0/cpufreq/scaling_cur_freq", "2399998\n")
            .Sys("devices/system/cpu/cpu0/cpufreq/scaling_max_freq", "3600000\n")
            .Sys("devices/system/cpu/cpu0/cpufreq/scaling_min_freq", "800000\n")
            .Sys("devices/system/cpu/cpu0/cpufreq/scaling_governor", "schedutil\n")
            .Sys("devices/system/cpu/cpu1/cpufreq/scaling_cur_freq", "1200000\n")
            .Sys("devices/system/cpu/cpu1/cpufreq/scaling_max_freq", "garbage\n")
            .Sys("devices/system/cpu/cpu2/online", "1\n") // no cpufreq at all
            .Sys("devices/system/cpu/cpufreq/boost", "1\n") // not a CPU
            .Sys("devices/system/cpu/cpuidle/current_driver", "none\n");
        // cpuinfo_cur_freq is root's only: open fails for anyone else. A directory stands for a file that cannot be read.
        fixture.MakeDirectory("sys/devices/system/cpu/cpu1/cpufreq/cpuinfo_cur_freq");
        var samples = await new CpuFreqCollector(fixture.Paths).CollectAsync();

        Assert.Equal(2.4e9, samples.Value("node_cpu_frequency_hertz", ("cpu", "0")));
        Assert.Equal(3.6e9, samples.Value("node_cpu_frequency_max_hertz", ("cpu", "0")));
        Assert.Equal(8e8, samples.Value("node_cpu_frequency_min_hertz", ("cpu", "0")));
        Assert.Equal(2_399_998_000, samples.Value("node_cpu_scaling_frequency_hertz", ("cpu", "0")));
        Assert.Equal(3.6e9, samples.Value("node_cpu_scaling_frequency_max_hertz", ("cpu", "0")));
        Assert.Equal(8e8, samples.Value("node_cpu_scaling_frequency_min_hertz", ("cpu", "0")));
        Assert.Equal(["node_cpu_scaling_frequency_hertz"], samples.Where(s => s.Label("cpu") == "1").Select(s => s.Name));
        Assert.Equal(7, samples.Count);
    }

    [Fact]
    public async Task Cpus_without_cpufreq_report_nothing_and_no_cpu_directory_is_an_error()
    {
        using var fixture = new ProcFixture().Sys("devices/system/cpu/cpu0/online", "1\n");
        Assert.Empty(await new CpuFreqCollector(fixture.Paths).CollectAsync());
        using var empty = new ProcFixture();
        await Assert.ThrowsAsync<CollectorSourceException>(async () => await new CpuFreqCollector(empty.Paths).CollectAsync());
    }

    [Fact]
    public async Task This_machine_reports_what_sysfs_has()
    {
        var samples = await new CpuFreqCollector().CollectAsync();
        var withCpufreq = Directory.GetDirectories("/sys/devices/system/cpu", "cpu*")
            .Where(d => char.IsAsciiDigit(Path.GetFileName(d)[3]) && File.Exists(Path.Combine(d, "cpufreq", "scaling_cur_freq")))
            .Select(d => Path.GetFileName(d)[3..]).Order();
        Assert.Equal(withCpufreq, samples.Named("node_cpu_scaling_frequency_hertz").Select(s => s.Label("cpu")).Order());
    }
}
