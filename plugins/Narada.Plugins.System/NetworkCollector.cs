using Narada.Core.Metrics;
using Narada.Plugins.System.Parsing;

namespace Narada.Plugins.System;

/// <summary>
/// <c>system.network</c>: per-interface counters of <c>/proc/net/dev</c>, all interfaces including lo
/// (node_exporter's netdev default), named <c>node_network_{receive,transmit}_&lt;field&gt;_total</c>.
/// </summary>
public sealed class NetworkCollector : ProcCollector
{
    private readonly string _netDevPath;

    // The 16 columns after "iface:", receive side first, as the kernel prints them.
    private static readonly string[] Columns =
    [
        "receive_bytes", "receive_packets", "receive_errs", "receive_drop",
        "receive_fifo", "receive_frame", "receive_compressed", "receive_multicast",
        "transmit_bytes", "transmit_packets", "transmit_errs", "transmit_drop",
        "transmit_fifo", "transmit_colls", "transmit_carrier", "transmit_compressed",
    ];

    private static readonly string[] Names = Array.ConvertAll(Columns, c => "node_network_" + c + "_total");
    private static readonly string[] Helps = Array.ConvertAll(Columns, c => "Network device statistic " + c + ".");

    private readonly LabelCache<IReadOnlyDictionary<string, string>> _deviceLabels = new(d => LabelSet.Of("device", d));
    private readonly LabelCache<string> _nohandlerPaths;

    public NetworkCollector(SystemPaths? paths = null) : base(paths ?? SystemPaths.Default)
    {
        _netDevPath = Paths.ProcFile("net/dev");
        _nohandlerPaths = new LabelCache<string>(d => Path.Combine(Paths.Sys, "class", "net", d, "statistics", "rx_nohandler"));
    }

    public override string Name => "network";

    public override string Description => "Network interface bytes, packets, errors and drops (/proc/net/dev)";

    private protected override int ExpectedSamples => 4 * Columns.Length;

    internal override void AppendTo(List<Sample> samples)
    {
        using var text = ProcFile.Read(_netDevPath);
        Span<ulong> values = stackalloc ulong[Columns.Length];
        var lines = new LineReader(text.Span);
        while (lines.TryRead(out var line))
        {
            // Old kernels print "eth0:123" with no space once the counter is wide, so split on the colon, not on spaces.
            var colon = line.IndexOf((byte)':');
            if (colon < 0 || line.IndexOf((byte)'|') >= 0)
                continue;
            var device = line[..colon].Trim(" \t"u8);
            if (device.IsEmpty || device.IndexOfAny(" \t"u8) >= 0)
                continue;
            var fields = new FieldReader(line[(colon + 1)..]);
            var count = 0;
            while (count < Columns.Length && fields.TryNextUInt64(out values[count]))
                count++;
            if (count < Columns.Length)
                continue;
            var labels = _deviceLabels.Get(device);
            for (var i = 0; i < Columns.Length; i++)
                samples.Add(new Sample(Names[i], values[i]) { Help = Helps[i], Type = MetricType.Counter, Labels = labels });
            // Not in /proc/net/dev: the kernel keeps it in sysfs (node_exporter reads it over netlink).
            if (ProcFile.TryRead(_nohandlerPaths.Get(device), out var nohandler))
            {
                using (nohandler)
                    if (new FieldReader(nohandler.Span.Trim("\n\r\t "u8)).TryNextUInt64(out var dropped))
                        samples.Add(new Sample("node_network_receive_nohandler_total", dropped)
                        { Help = "Network device statistic receive_nohandler.", Type = MetricType.Counter, Labels = labels });
            }
        }
    }
}
