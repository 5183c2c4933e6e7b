using System.Globalization;

namespace Narada.Bench.Report;

/// <summary>How numbers look in the tables: invariant culture, a precision that suits each kind of figure.</summary>
public static class Format
{
    public static string Rate(double jobsPerSecond) => jobsPerSecond.ToString("N0", CultureInfo.InvariantCulture);

    public static string Ms(double ms) => double.IsNaN(ms) ? "-" : ms.ToString(ms < 10 ? "0.000" : "0.0", CultureInfo.InvariantCulture);

    public static string Ratio(double ratio) =>
        !double.IsFinite(ratio) ? "-" : ratio.ToString(ratio >= 0.1 ? "0.00" : "0.0###", CultureInfo.InvariantCulture) + "×";

    public static string Micros(double us) => us.ToString("0.0", CultureInfo.InvariantCulture);

    public static string Seconds(double s) => s.ToString("0.00", CultureInfo.InvariantCulture);

    public static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    public static string MiB(long kb) => (kb / 1024.0).ToString("0.0", CultureInfo.InvariantCulture);

    public static string Optional(double? value, Func<double, string> format) => value is { } v ? format(v) : "-";
}
