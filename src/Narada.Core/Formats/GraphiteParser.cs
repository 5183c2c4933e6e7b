using System.Globalization;
using Narada.Core.Metrics;

namespace Narada.Core.Formats;

/// <summary>
/// Reads Graphite's plaintext protocol, one <c>metric.path value timestamp</c> per line, including Graphite 1.1 tags
/// (<c>path;tag=value</c>). Paths become sanitised names (<c>servers.web01.load</c> → <c>servers_web01_load</c>), tags
/// become labels. The timestamp (Unix seconds) may be omitted or <c>-1</c>, both meaning now. Blank lines and
/// <c>#</c> comments are skipped; anything else malformed throws <see cref="MetricFormatException"/>.
/// </summary>
public static class GraphiteParser
{
    private const string FormatName = "graphite";

    public static IReadOnlyList<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
                continue;
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length is < 2 or > 3)
                throw Error(lineNumber, $"expected 'path value [timestamp]', got {fields.Length} field(s)");
            var (name, labels) = ReadPath(fields[0], lineNumber);
            if (!PrometheusTextParser.TryParseFloat(fields[1], out var value))
                throw Error(lineNumber, $"'{fields[1]}' is not a number");
            samples.Add(new Sample(name, value)
            {
                Labels = labels,
                TimestampMs = fields.Length == 3 ? ReadTimestamp(fields[2], lineNumber) : null,
            });
        }
        return samples;
    }

    private static (string Name, Dictionary<string, string> Labels) ReadPath(string path, int lineNumber)
    {
        var parts = path.Split(';');
        if (parts[0].Length == 0)
            throw Error(lineNumber, "the metric path is empty");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in parts.AsSpan(1))
        {
            var eq = tag.IndexOf('=');
            if (eq <= 0 || eq == tag.Length - 1)
                throw Error(lineNumber, $"tag '{tag}' is not name=value");
            var labelName = MetricName.SanitizeLabel(tag[..eq]);
            if (!labels.TryAdd(labelName, tag[(eq + 1)..]))
                throw Error(lineNumber, $"tag '{labelName}' appears twice");
        }
        return (MetricName.Sanitize(parts[0]), labels);
    }

    private static long? ReadTimestamp(string text, int lineNumber)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            || !double.IsFinite(seconds) || Math.Abs(seconds) > 1e13)
            throw Error(lineNumber, $"'{text}' is not a Unix timestamp in seconds");
        return seconds == -1 ? null : (long)Math.Round(seconds * 1000);
    }

    private static MetricFormatException Error(int lineNumber, string reason) => new(FormatName, lineNumber, reason);
}
