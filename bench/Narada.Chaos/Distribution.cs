using System.Globalization;

namespace Narada.Chaos;

/// <summary>Recovery times of a scenario's faults: how many, and min / median / p90 / max in milliseconds.</summary>
public sealed record Distribution(int Count, double Min, double Median, double P90, double Max)
{
    public static Distribution Of(IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0)
            return new Distribution(0, double.NaN, double.NaN, double.NaN, double.NaN);
        return new Distribution(sorted.Length, sorted[0], Percentile(sorted, 0.5), Percentile(sorted, 0.9), sorted[^1]);
    }

    // Nearest rank: with few samples the p90 is a sample that happened, not an interpolation.
    private static double Percentile(double[] sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    public override string ToString() => Count == 0
        ? "none"
        : string.Create(CultureInfo.InvariantCulture, $"{Min / 1000:0.00} / {Median / 1000:0.00} / {P90 / 1000:0.00} / {Max / 1000:0.00} s");
}
