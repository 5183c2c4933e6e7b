using System.Globalization;
using Narada.Core.Metrics;
using Narada.Plugins.System.Parsing;

namespace Narada.Plugins.System;

/// <summary>
/// <c>system.softnet</c>: per-CPU packet processing from <c>/proc/net/softnet_stat</c> (hexadecimal columns: processed,
/// dropped, time squeezed), named as node_exporter 1.5's softnet collector names them. As in 1.5, <c>cpu</c> is the
/// line's position (the kernel prints one line per online CPU), not the CPU id newer kernels add as a 13th column.
/// </summary>
public sealed class SoftnetCollector : ProcCollector
{
    private const int MaxCpuDigits = 10;

    private readonly string _softnetPath;
    private readonly LabelCache<IReadOnlyDictionary<string, string>> _cpuLabels = new(c => LabelSet.Of("cpu", c));

    public SoftnetCollector(SystemPaths? paths = null) : base(paths ?? SystemPaths.Default) =>
        _softnetPath = Paths.ProcFile("net/softnet_stat");

    public override string Name => "softnet";

    public override string Description => "Packets processed, dropped and squeezed per CPU (/proc/net/softnet_stat)";

    private protected override int ExpectedSamples => 3 * Environment.ProcessorCount;

    internal override void AppendTo(List<Sample> samples)
    {
        using var text = ProcFile.Read(_softnetPath);
        var lines = new LineReader(text.Span);
        Span<byte> cpu = stackalloc byte[MaxCpuDigits];
        for (var index = 0; lines.TryRead(out var line); index++)
        {
            var fields = new FieldReader(line);
            if (!TryHex(ref fields, out var processed) || !TryHex(ref fields, out var dropped) || !TryHex(ref fields, out var squeezed))
                continue; // still a CPU's line: the next keeps its position
            index.TryFormat(cpu, out var written, default, CultureInfo.InvariantCulture);
            var labels = _cpuLabels.Get(cpu[..written]);
            samples.Add(Counter("node_softnet_processed_total", processed, "Number of processed packets", labels));
            samples.Add(Counter("node_softnet_dropped_total", dropped, "Number of dropped packets", labels));
            samples.Add(Counter("node_softnet_times_squeezed_total", squeezed, "Number of times processing packets ran out of quota", labels));
        }
    }

    private static bool TryHex(ref FieldReader fields, out uint value)
    {
        value = 0;
        return fields.TryNext(out var field) && uint.TryParse(field, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }
}
