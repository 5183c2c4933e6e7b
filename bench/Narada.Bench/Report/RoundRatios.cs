namespace Narada.Bench.Report;

/// <summary>
/// Ratios taken within each round (a figure over its anchor measured moments apart), then the median across rounds:
/// on a shared machine whose load swings between rounds this is steadier than a ratio of totals.
/// </summary>
public static class RoundRatios
{
    public static double Median(IEnumerable<double> perRound)
    {
        var sorted = perRound.Where(double.IsFinite).Order().ToArray();
        if (sorted.Length == 0)
            return double.NaN;
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>The per-round ratios as text, e.g. "1.10, 0.95, 1.30".</summary>
    public static string List(IEnumerable<double> perRound) => string.Join(", ", perRound.Select(r => r.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)));
}
