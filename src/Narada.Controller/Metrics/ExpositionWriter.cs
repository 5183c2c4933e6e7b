using System.Globalization;
using System.Text;
using Narada.Core.Metrics;

namespace Narada.Controller.Metrics;

/// <summary>
/// Writes samples in the Prometheus text format 0.0.4: one HELP and TYPE per family, families sorted, samples of a
/// family together, label values escaped. Used for the series that come and go with hosts and agents.
/// </summary>
public static class ExpositionWriter
{
    public static void Write(TextWriter output, IEnumerable<Sample> samples)
    {
        // One builder and one key set for the whole page: a large fleet writes millions of lines.
        var line = new StringBuilder(256);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var family in samples.GroupBy(s => s.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var first = family.First();
            if (first.Help is { } help)
                output.Write($"# HELP {family.Key} {EscapeHelp(help)}\n");
            output.Write($"# TYPE {family.Key} {TypeName(first.Type)}\n");
            seen.Clear();
            foreach (var sample in family)
            {
                line.Clear().Append(family.Key);
                AppendLabels(line, sample.Labels);
                // Two samples with the same name and labels would make the whole scrape invalid: keep the first.
                if (!seen.Add(line.ToString()))
                    continue;
                line.Append(' ');
                AppendValue(line, sample.Value);
                if (sample.TimestampMs is { } ts)
                    line.Append(' ').Append(ts.ToString(CultureInfo.InvariantCulture));
                output.Write(line.Append('\n'));
            }
        }
    }

    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static void AppendValue(StringBuilder line, double value)
    {
        if (double.IsFinite(value))
            line.Append(value.ToString("R", CultureInfo.InvariantCulture));
        else
            line.Append(FormatValue(value));
    }

    private static void AppendLabels(StringBuilder line, IReadOnlyDictionary<string, string> labels)
    {
        if (labels.Count == 0)
            return;
        line.Append('{');
        bool first = true;
        // Sorted by name; most series have one to three labels, so a small array beats a LINQ sort per line.
        var sorted = labels.ToArray();
        if (sorted.Length > 1)
            Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        foreach (var (name, value) in sorted)
        {
            if (!first)
                line.Append(',');
            first = false;
            line.Append(name).Append("=\"");
            foreach (var c in value)
            {
                switch (c)
                {
                    case '\\': line.Append("\\\\"); break;
                    case '"': line.Append("\\\""); break;
                    case '\n': line.Append("\\n"); break;
                    default: line.Append(c); break;
                }
            }
            line.Append('"');
        }
        line.Append('}');
    }

    private static string EscapeHelp(string help) => help.Replace("\\", "\\\\").Replace("\n", "\\n");

    private static string TypeName(MetricType type) => type switch
    {
        MetricType.Counter => "counter",
        MetricType.Gauge => "gauge",
        _ => "untyped",
    };
}
