using Narada.Core.Metrics;
using Narada.Plugins.System.Parsing;

namespace Narada.Plugins.System;

/// <summary>
/// <c>system.cpufreq</c>: each CPU's frequency from <c>/sys/devices/system/cpu/cpu&lt;N&gt;/cpufreq</c> (kHz in the
/// kernel, hertz here), as node_exporter 1.5's cpufreq collector names it: the hardware's current, minimum and maximum
/// (<c>cpuinfo_*</c>; the current one is readable by root only) and the governor's (<c>scaling_*</c>). A machine
/// without cpufreq (most VMs) reports nothing and succeeds, as node_exporter does; a file that cannot be read is left out.
/// No <c>/sys/devices/system/cpu</c> at all means sysfs is not there, and fails the collection (node_exporter finds no
/// CPUs and succeeds with nothing).
/// </summary>
public sealed class CpuFreqCollector : ProcCollector
{
    private const double HertzPerKilohertz = 1000;
    private const string Prefix = "cpu";

    private static readonly (string File, string Name, string Help)[] Frequencies =
    [
        ("cpuinfo_cur_freq", "node_cpu_frequency_hertz", "Current cpu thread frequency in hertz."),
        ("cpuinfo_max_freq", "node_cpu_frequency_max_hertz", "Maximum cpu thread frequency in hertz."),
        ("cpuinfo_min_freq", "node_cpu_frequency_min_hertz", "Minimum cpu thread frequency in hertz."),
        ("scaling_cur_freq", "node_cpu_scaling_frequency_hertz", "Current scaled CPU thread frequency in hertz."),
        ("scaling_max_freq", "node_cpu_scaling_frequency_max_hertz", "Maximum scaled CPU thread frequency in hertz."),
        ("scaling_min_freq", "node_cpu_scaling_frequency_min_hertz", "Minimum scaled CPU thread frequency in hertz."),
    ];

    private readonly string _cpuDirectory;
    private readonly LabelCache<Cpu> _cpus;

    public CpuFreqCollector(SystemPaths? paths = null) : base(paths ?? SystemPaths.Default)
    {
        _cpuDirectory = Paths.SysFile("devices/system/cpu");
        _cpus = new LabelCache<Cpu>(name => new Cpu(Path.Combine(_cpuDirectory, name, "cpufreq"), name[Prefix.Length..]));
    }

    public override string Name => "cpufreq";

    public override string Description => "CPU frequency: current, minimum and maximum, hardware and governor (/sys/devices/system/cpu/cpu*/cpufreq)";

    private protected override int ExpectedSamples => Environment.ProcessorCount * Frequencies.Length;

    internal override void AppendTo(List<Sample> samples)
    {
        var cpus = new List<Cpu>(Environment.ProcessorCount);
        SysfsDirectory.Collect(_cpuDirectory, _cpus, IsCpu, cpus);
        foreach (var cpu in cpus)
            cpu.AppendTo(samples);
    }

    /// <summary><c>cpu</c> followed by digits (cpu0, cpu12), not cpufreq, cpuidle or cpuN's neighbours.</summary>
    private static bool IsCpu(ReadOnlySpan<char> name) =>
        name.Length > Prefix.Length && name.StartsWith(Prefix, StringComparison.Ordinal) && char.IsAsciiDigit(name[Prefix.Length]);

    private sealed class Cpu(string cpufreqDirectory, string number)
    {
        private readonly string _directory = cpufreqDirectory;
        private readonly string[] _paths = Array.ConvertAll(Frequencies, f => Path.Combine(cpufreqDirectory, f.File));
        private readonly IReadOnlyDictionary<string, string> _labels = LabelSet.Of("cpu", number);

        public void AppendTo(List<Sample> samples)
        {
            if (!Directory.Exists(_directory))
                return; // one stat instead of six failed opens on a CPU without cpufreq
            for (var i = 0; i < _paths.Length; i++)
                if (SysfsValue.TryReadInt64(_paths[i], out var kilohertz))
                    samples.Add(Gauge(Frequencies[i].Name, kilohertz * HertzPerKilohertz, Frequencies[i].Help, _labels));
        }
    }
}
