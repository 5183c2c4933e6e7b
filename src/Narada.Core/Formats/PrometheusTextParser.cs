using System.Globalization;
using System.Text;
using Narada.Core.Metrics;

namespace Narada.Core.Formats;

/// <summary>
/// Reads the Prometheus text exposition format 0.0.4: <c># HELP</c>/<c># TYPE</c> lines, samples with escaped label
/// values, NaN/±Inf, optional millisecond timestamps. Histogram and summary families become their flat series:
/// <c>_bucket</c>, <c>_sum</c> and <c>_count</c> typed as counters, summary quantiles as gauges (Sample has no
/// histogram type). Anything malformed throws <see cref="MetricFormatException"/> naming the line.
/// </summary>
public static class PrometheusTextParser
{
    internal const string FormatName = "prometheus";

    public static IReadOnlyList<Sample> Parse(string text)
    {
        var families = new Dictionary<string, string>(StringComparer.Ordinal);
        var helps = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var samples = new List<Sample>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r').TrimStart(' ', '\t');
            if (line.Length == 0)
                continue;
            var reader = new PrometheusLineReader(line, lineNumber);
            if (line[0] == '#')
                ReadComment(ref reader, families, helps, seen);
            else
                samples.Add(ReadSample(ref reader, families, helps, seen));
        }
        return samples;
    }

    private static void ReadComment(ref PrometheusLineReader r, Dictionary<string, string> families,
        Dictionary<string, string> helps, HashSet<string> seen)
    {
        r.Position = 1;
        r.SkipBlanks();
        var keyword = r.Token();
        if (keyword is not ("HELP" or "TYPE"))
            return;
        r.SkipBlanks();
        var name = r.MetricName();
        if (keyword == "HELP")
        {
            if (!r.AtEnd && !r.SkipBlanks())
                throw r.Error($"expected a blank after the metric name '{name}'");
            if (!helps.TryAdd(name, Unescape(r.Rest())))
                throw r.Error($"second HELP line for '{name}'");
            return;
        }
        r.SkipBlanks();
        var type = r.Token();
        r.SkipBlanks();
        if (!r.AtEnd)
            throw r.Error($"unexpected text after the type of '{name}'");
        if (type is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
            throw r.Error($"unknown type '{type}' for '{name}'");
        if (seen.Contains(name))
            throw r.Error($"TYPE line for '{name}' after its samples");
        if (!families.TryAdd(name, type))
            throw r.Error($"second TYPE line for '{name}'");
    }

    private static Sample ReadSample(ref PrometheusLineReader r, Dictionary<string, string> families,
        Dictionary<string, string> helps, HashSet<string> seen)
    {
        var name = r.MetricName();
        var blank = r.SkipBlanks();
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (r.Peek == '{')
        {
            ReadLabels(ref r, labels);
            blank = r.SkipBlanks();
        }
        if (!blank)
            throw r.Error($"expected a blank before the value of '{name}'");
        var valueText = r.Token();
        if (!TryParseFloat(valueText, out var value))
            throw r.Error($"'{valueText}' is not a sample value");
        long? timestamp = null;
        r.SkipBlanks();
        if (!r.AtEnd)
        {
            var ts = r.Token();
            if (!long.TryParse(ts, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var t))
                throw r.Error($"'{ts}' is not a timestamp in milliseconds");
            timestamp = t;
            r.SkipBlanks();
            if (!r.AtEnd)
                throw r.Error("unexpected text after the timestamp");
        }
        seen.Add(name);
        var (family, type) = FamilyOf(name, families);
        return new Sample(name, value)
        {
            Labels = labels,
            Type = type,
            Help = helps.GetValueOrDefault(family),
            TimestampMs = timestamp,
        };
    }

    private static void ReadLabels(ref PrometheusLineReader r, Dictionary<string, string> labels)
    {
        r.Position++;
        while (true)
        {
            r.SkipBlanks();
            if (r.Peek == '}')
            {
                r.Position++;
                return;
            }
            var labelName = r.LabelName();
            r.SkipBlanks();
            r.Expect('=');
            r.SkipBlanks();
            var value = r.QuotedValue();
            if (!labels.TryAdd(labelName, value))
                throw r.Error($"label '{labelName}' appears twice");
            r.SkipBlanks();
            if (r.Peek == ',')
                r.Position++;
            else if (r.Peek != '}')
                throw r.Error("expected ',' or '}' in the label set");
        }
    }

    private static (string Family, MetricType Type) FamilyOf(string name, Dictionary<string, string> families)
    {
        if (families.TryGetValue(name, out var own))
            return (name, own switch
            {
                "counter" => MetricType.Counter,
                "gauge" => MetricType.Gauge,
                "summary" => MetricType.Gauge,
                _ => MetricType.Untyped,
            });
        foreach (var suffix in (ReadOnlySpan<string>)["_bucket", "_sum", "_count"])
        {
            if (!name.EndsWith(suffix, StringComparison.Ordinal))
                continue;
            var family = name[..^suffix.Length];
            if (families.TryGetValue(family, out var type) && (type == "histogram" || (type == "summary" && suffix != "_bucket")))
                return (family, MetricType.Counter);
        }
        return (name, MetricType.Untyped);
    }

    /// <summary>Go's ParseFloat spellings Prometheus writes and accepts: decimals, NaN, Inf, +Inf, -Inf.</summary>
    internal static bool TryParseFloat(string s, out double value)
    {
        switch (s.ToLowerInvariant())
        {
            case "nan": value = double.NaN; return true;
            case "inf" or "+inf" or "infinity" or "+infinity": value = double.PositiveInfinity; return true;
            case "-inf" or "-infinity": value = double.NegativeInfinity; return true;
        }
        value = 0;
        if (s.Length == 0)
            return false;
        foreach (var c in s)
            if (!(char.IsAsciiDigit(c) || c is '+' or '-' or '.' or 'e' or 'E'))
                return false;
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    // HELP text escapes only backslash and newline; any other backslash stays as written.
    private static string Unescape(string s)
    {
        if (!s.Contains('\\'))
            return s;
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 1 < s.Length && s[i + 1] is '\\' or 'n')
            {
                sb.Append(s[++i] == 'n' ? '\n' : '\\');
                continue;
            }
            sb.Append(s[i]);
        }
        return sb.ToString();
    }
}
