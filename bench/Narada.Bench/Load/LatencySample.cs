namespace Narada.Bench.Load;

/// <summary>Per-job latencies in microseconds, gathered from any number of threads, read as percentiles.</summary>
public sealed class LatencySample
{
    private readonly List<long> _micros = [];
    private long[]? _sorted;

    public int Count { get { lock (_micros) return _micros.Count; } }

    /// <summary>A copy of every latency recorded so far.</summary>
    public long[] Values { get { lock (_micros) return [.. _micros]; } }

    public void Add(long micros)
    {
        lock (_micros)
        {
            _micros.Add(micros);
            _sorted = null;
        }
    }

    public void AddRange(IEnumerable<long> micros)
    {
        lock (_micros)
        {
            _micros.AddRange(micros);
            _sorted = null;
        }
    }

    /// <summary>The latency below which <paramref name="p"/> (0..1) of the jobs finished, in milliseconds; NaN when empty.</summary>
    public double PercentileMs(double p)
    {
        long[] sorted;
        lock (_micros)
            sorted = _sorted ??= _micros.Order().ToArray();
        if (sorted.Length == 0)
            return double.NaN;
        int index = Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1);
        return sorted[index] / 1000.0;
    }

    public double P50Ms => PercentileMs(0.50);
    public double P99Ms => PercentileMs(0.99);
    public double MaxMs => PercentileMs(1.0);
}
