using System.Globalization;

namespace Narada.Controller.Metrics;

/// <summary>
/// One of <see cref="Count"/> slices of the fleet's per-host series (<c>/metrics?shard=K&amp;of=N</c>): a host belongs
/// to shard FNV-1a(host) mod N, the same on every member and every run, so N Prometheus jobs (or servers) split the
/// scrape load. The controller's own counters, which are not about one host, are on shard 0 only.
/// </summary>
public sealed record MetricsShard(int Index, int Count)
{
    public const int MaxCount = 4096;

    public bool Holds(string host) => Of(host, Count) == Index;

    /// <summary>The shard a host falls in when the fleet is cut in <paramref name="count"/>.</summary>
    public static int Of(string host, int count)
    {
        uint hash = 2166136261;
        foreach (char c in host)
        {
            hash ^= c;
            hash *= 16777619;
        }
        return (int)(hash % (uint)count);
    }

    /// <summary>Reads <c>shard</c> and <c>of</c>; null (all series) when both are absent; a reason when they do not make a shard.</summary>
    public static MetricsShard? Parse(string? shard, string? of, out string? problem)
    {
        problem = null;
        if (shard is null && of is null)
            return null;
        if (!int.TryParse(shard, NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(of, NumberStyles.None, CultureInfo.InvariantCulture, out int count) || count < 1 || count > MaxCount || index >= count)
        {
            problem = $"shard=K&of=N needs whole numbers with 0 <= K < N <= {MaxCount}, e.g. /metrics?shard=0&of=4";
            return null;
        }
        return new MetricsShard(index, count);
    }
}
