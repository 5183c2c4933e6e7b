using System.Globalization;

namespace Narada.Bench.Fleet;

/// <summary>What one benchmark found: markdown lines for RESULTS.md, also echoed to the console.</summary>
internal sealed class BenchReport(string section, string name)
{
    private readonly List<string> _lines = [];

    public string Section => section;
    public string Name => name;
    public IReadOnlyList<string> Lines => _lines;

    public void Line(string text = "")
    {
        _lines.Add(text);
        Console.WriteLine(text);
    }

    public void Row(params object[] cells) =>
        Line("| " + string.Join(" | ", cells.Select(c => Convert.ToString(c, CultureInfo.InvariantCulture))) + " |");

    public void Header(params string[] cells)
    {
        Row(cells);
        Line("|" + string.Concat(cells.Select(_ => "---|")));
    }

    public static string F(double value, string format = "0.0") => value.ToString(format, CultureInfo.InvariantCulture);

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? double.NaN
            : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2]
            : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public static string Machine() =>
        $"{Environment.ProcessorCount} CPUs ({CpuModel()}), {Environment.OSVersion.VersionString}, .NET {Environment.Version}, " +
        $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, 1-min load average {ProcessMeter.LoadAverage()} at the end " +
        "(the machine is shared with other builds)";

    private static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
        ?? "unknown CPU";
}
