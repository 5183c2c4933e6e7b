using Narada.Core.Metrics;
using Narada.Plugins.System.Native;
using Narada.Plugins.System.Parsing;

namespace Narada.Plugins.System;

/// <summary>
/// <c>system.cpu</c>: per-CPU mode times and the kernel activity counters of <c>/proc/stat</c>, named as node_exporter's
/// cpu and stat collectors name them. Times are USER_HZ ticks converted to seconds.
/// </summary>
public sealed class CpuCollector : ProcCollector
{
    private readonly string _statPath;

    // Order of the columns on a cpuN line; guest and guest_nice are reported apart, as node_exporter does.
    private static readonly string[] Modes = ["user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal"];
    private static readonly string[] GuestModes = ["user", "nice"];

    private const string SecondsHelp = "Seconds the CPUs spent in each mode.";
    private const string GuestHelp = "Seconds the CPUs spent in guests (VMs) for each mode.";

    private readonly LabelCache<IReadOnlyDictionary<string, string>[]> _cpuLabels = new(CpuLabels);

    public CpuCollector(SystemPaths? paths = null) : base(paths ?? SystemPaths.Default) =>
        _statPath = Paths.ProcFile("stat");

    public override string Name => "cpu";

    public override string Description => "CPU time per mode, context switches, forks, interrupts, run queue (/proc/stat)";

    private protected override int ExpectedSamples => Environment.ProcessorCount * 10 + 8;

    internal override void AppendTo(List<Sample> samples)
    {
        using var text = ProcFile.Read(_statPath);
        var lines = new LineReader(text.Span);
        while (lines.TryRead(out var line))
        {
            var fields = new FieldReader(line);
            if (!fields.TryNext(out var key))
                continue;
            if (key.StartsWith("cpu"u8))
            {
                // "cpu" alone is the sum of all CPUs, which node_exporter leaves to PromQL.
                if (key.Length > 3 && IsDigits(key[3..]))
                    AppendCpu(samples, _cpuLabels.Get(key[3..]), ref fields);
                continue;
            }
            if (!fields.TryNextUInt64(out var value))
                continue;
            if (key.SequenceEqual("ctxt"u8))
                samples.Add(Counter("node_context_switches_total", value, "Total number of context switches."));
            else if (key.SequenceEqual("btime"u8))
                samples.Add(Gauge("node_boot_time_seconds", value, "Node boot time, in unixtime."));
            else if (key.SequenceEqual("processes"u8))
                samples.Add(Counter("node_forks_total", value, "Total number of forks."));
            else if (key.SequenceEqual("procs_running"u8))
                samples.Add(Gauge("node_procs_running", value, "Number of processes in runnable state."));
            else if (key.SequenceEqual("procs_blocked"u8))
                samples.Add(Gauge("node_procs_blocked", value, "Number of processes blocked waiting for I/O to complete."));
            else if (key.SequenceEqual("intr"u8))
                samples.Add(Counter("node_intr_total", value, "Total number of interrupts serviced."));
        }
    }

    private static void AppendCpu(List<Sample> samples, IReadOnlyDictionary<string, string>[] labels, ref FieldReader fields)
    {
        var hz = ClockTicks.PerSecond;
        for (var i = 0; i < Modes.Length + GuestModes.Length; i++)
        {
            // Older kernels have fewer columns; a garbled column ends the line rather than shifting the modes.
            if (!fields.TryNextUInt64(out var ticks))
                return;
            samples.Add(i < Modes.Length
                ? Counter("node_cpu_seconds_total", ticks / hz, SecondsHelp, labels[i])
                : Counter("node_cpu_guest_seconds_total", ticks / hz, GuestHelp, labels[i]));
        }
    }

    private static IReadOnlyDictionary<string, string>[] CpuLabels(string cpu)
    {
        var labels = new IReadOnlyDictionary<string, string>[Modes.Length + GuestModes.Length];
        for (var i = 0; i < Modes.Length; i++)
            labels[i] = LabelSet.Of("cpu", cpu, "mode", Modes[i]);
        for (var i = 0; i < GuestModes.Length; i++)
            labels[Modes.Length + i] = LabelSet.Of("cpu", cpu, "mode", GuestModes[i]);
        return labels;
    }

    private static bool IsDigits(ReadOnlySpan<byte> text)
    {
        foreach (var b in text)
            if (b is < (byte)'0' or > (byte)'9')
                return false;
        return true;
    }
}
