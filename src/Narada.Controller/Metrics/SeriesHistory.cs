using System.Collections.Concurrent;
using Narada.Core.Metrics;

namespace Narada.Controller.Metrics;

/// <summary>
/// The last values of the few series a host's page draws (load, memory, root file system, CPU busy), kept as the
/// agents report them: a small ring per host and chart, nothing for anything else.
/// </summary>
public sealed class SeriesHistory
{
    public const int Points = 60;

    private readonly ConcurrentDictionary<(string Host, string Chart), Ring> _rings = new();
    private readonly ConcurrentDictionary<string, (double Busy, double Total)> _lastCpu = new();

    /// <summary>The charts a host page shows, in order.</summary>
    public static readonly string[] Charts = ["load 1m", "memory available (GiB)", "root free (GiB)", "CPU busy (%)"];

    public void Record(string host, IReadOnlyList<Sample> samples)
    {
        double busy = 0, total = 0;
        foreach (var s in samples)
        {
            switch (s.Name)
            {
                case "node_load1":
                    Add(host, Charts[0], s.Value);
                    break;
                case "node_memory_MemAvailable_bytes":
                    Add(host, Charts[1], s.Value / (1 << 30));
                    break;
                case "node_filesystem_avail_bytes" when s.Labels.TryGetValue("mountpoint", out var mount) && mount == "/":
                    Add(host, Charts[2], s.Value / (1 << 30));
                    break;
                case "node_cpu_seconds_total" when s.Labels.TryGetValue("mode", out var mode):
                    total += s.Value;
                    if (mode is not ("idle" or "iowait"))
                        busy += s.Value;
                    break;
            }
        }
        if (total <= 0)
            return;
        if (_lastCpu.TryGetValue(host, out var last) && total > last.Total)
            Add(host, Charts[3], 100 * (busy - last.Busy) / (total - last.Total));
        _lastCpu[host] = (busy, total);
    }

    public IReadOnlyList<double> Of(string host, string chart) =>
        _rings.TryGetValue((host, chart), out var ring) ? ring.Values() : [];

    public void RemoveHost(string host)
    {
        foreach (var key in _rings.Keys)
            if (key.Host == host)
                _rings.TryRemove(key, out _);
        _lastCpu.TryRemove(host, out _);
    }

    private void Add(string host, string chart, double value) => _rings.GetOrAdd((host, chart), _ => new Ring()).Add(value);

    private sealed class Ring
    {
        private readonly double[] _values = new double[Points];
        private int _next;
        private int _count;

        public void Add(double value)
        {
            lock (_values)
            {
                _values[_next] = value;
                _next = (_next + 1) % Points;
                _count = Math.Min(_count + 1, Points);
            }
        }

        public double[] Values()
        {
            lock (_values)
                return [.. Enumerable.Range(0, _count).Select(i => _values[(_next - _count + i + Points) % Points])];
        }
    }
}
