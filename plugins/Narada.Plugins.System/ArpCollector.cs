using System.Buffers;
using System.Runtime.CompilerServices;
using Narada.Core.Metrics;
using Narada.Plugins.System.Parsing;

namespace Narada.Plugins.System;

/// <summary><c>system.arp</c>: neighbour table entries per interface from <c>/proc/net/arp</c>, as node_exporter's arp collector counts them.</summary>
public sealed class ArpCollector : ProcCollector
{
    // "IP address  HW type  Flags  HW address  Mask  Device": the device is the sixth field of an entry.
    private const int Columns = 6;

    private readonly string _arpPath;
    private readonly LabelCache<IReadOnlyDictionary<string, string>> _deviceLabels = new(d => LabelSet.Of("device", d));

    public ArpCollector(SystemPaths? paths = null) : base(paths ?? SystemPaths.Default) => _arpPath = Paths.ProcFile("net/arp");

    public override string Name => "arp";

    public override string Description => "ARP entries per interface (/proc/net/arp)";

    private protected override int ExpectedSamples => 4;

    internal override void AppendTo(List<Sample> samples)
    {
        using var text = ProcFile.Read(_arpPath);
        // Counted first, one sample per device after: a busy LAN has thousands of entries over a handful of devices.
        var devices = ArrayPool<IReadOnlyDictionary<string, string>>.Shared.Rent(16);
        var counts = ArrayPool<int>.Shared.Rent(devices.Length);
        var known = 0;
        try
        {
            var lines = new LineReader(text.Span);
            lines.TryRead(out _); // the header
            while (lines.TryRead(out var line))
            {
                if (!TryDevice(line, out var device))
                    continue;
                var labels = _deviceLabels.Get(device);
                var index = Array.IndexOf(devices, labels, 0, known);
                if (index < 0)
                {
                    if (known == devices.Length)
                        (devices, counts) = (Grow(devices, known), Grow(counts, known));
                    index = known++;
                    devices[index] = labels;
                    counts[index] = 0;
                }
                counts[index]++;
            }
            for (var i = 0; i < known; i++)
                samples.Add(Gauge("node_arp_entries", counts[i], "ARP entries by device", devices[i]));
        }
        finally
        {
            ArrayPool<IReadOnlyDictionary<string, string>>.Shared.Return(devices, clearArray: true);
            ArrayPool<int>.Shared.Return(counts);
        }
    }

    /// <summary>The device of an entry line: its sixth and last field; false for a line of another shape.</summary>
    private static bool TryDevice(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> device)
    {
        var fields = new FieldReader(line);
        var count = 0;
        device = default;
        while (fields.TryNext(out var field))
            if (++count == Columns)
                device = field;
        return count == Columns;
    }

    private static T[] Grow<T>(T[] array, int used)
    {
        var bigger = ArrayPool<T>.Shared.Rent(array.Length * 2);
        array.AsSpan(0, used).CopyTo(bigger);
        ArrayPool<T>.Shared.Return(array, clearArray: RuntimeHelpers.IsReferenceOrContainsReferences<T>());
        return bigger;
    }
}
