using System.Globalization;
using System.Text;
using Narada.Core.Metrics;

namespace Narada.Core.Formats;

/// <summary>
/// Reads InfluxDB line protocol: <c>measurement[,tag=value...] field=value[,field=value...] [timestamp]</c> with its
/// backslash escapes (<c>\,</c> <c>\ </c> in names, also <c>\=</c> in keys and tag values). Floats, integers
/// (<c>12i</c>), unsigned (<c>12u</c>) and booleans (1/0) become samples named <c>measurement_field</c> with tags as
/// labels; string fields are not numbers and are skipped. Timestamps are nanoseconds. Malformed lines throw
/// <see cref="MetricFormatException"/>.
/// </summary>
public static class InfluxLineParser
{
    public static IReadOnlyList<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r').TrimStart(' ', '\t');
            if (line.Trim().Length == 0 || line[0] == '#')
                continue;
            ParseLine(line, lineNumber, samples);
        }
        return samples;
    }

    private static void ParseLine(string line, int lineNumber, List<Sample> samples)
    {
        var i = 0;
        var measurement = ReadEscaped(line, ref i, stopAtEquals: false);
        if (measurement.Length == 0)
            throw Error(lineNumber, "the measurement name is empty");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        while (i < line.Length && line[i] == ',')
        {
            i++;
            var key = ReadEscaped(line, ref i, stopAtEquals: true);
            if (i >= line.Length || line[i] != '=' || key.Length == 0)
                throw Error(lineNumber, $"tag '{key}' of '{measurement}' is not key=value");
            i++;
            var value = ReadEscaped(line, ref i, stopAtEquals: false);
            if (value.Length == 0)
                throw Error(lineNumber, $"tag '{key}' of '{measurement}' has an empty value");
            if (!labels.TryAdd(MetricName.SanitizeLabel(key), value))
                throw Error(lineNumber, $"tag '{key}' appears twice");
        }
        if (i >= line.Length || line[i] != ' ')
            throw Error(lineNumber, $"'{measurement}' has no fields");
        SkipSpaces(line, ref i);
        var fields = new List<(string Key, double Value)>();
        while (true)
        {
            var key = ReadEscaped(line, ref i, stopAtEquals: true);
            if (i >= line.Length || line[i] != '=' || key.Length == 0)
                throw Error(lineNumber, $"field '{key}' of '{measurement}' is not key=value");
            i++;
            if (ReadFieldValue(line, ref i, lineNumber, key) is { } number)
                fields.Add((key, number));
            if (i < line.Length && line[i] == ',')
            {
                i++;
                continue;
            }
            break;
        }
        SkipSpaces(line, ref i);
        long? timestampMs = null;
        if (i < line.Length)
        {
            var ts = line[i..].TrimEnd();
            if (!long.TryParse(ts, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ns))
                throw Error(lineNumber, $"'{ts}' is not a timestamp in nanoseconds");
            timestampMs = ns / 1_000_000;
        }
        foreach (var (key, value) in fields)
            samples.Add(new Sample(MetricName.Join(measurement, key), value) { Labels = labels, TimestampMs = timestampMs });
    }

    // Null for a string field, which is valid but not a number.
    private static double? ReadFieldValue(string line, ref int i, int lineNumber, string key)
    {
        if (i < line.Length && line[i] == '"')
        {
            i++;
            while (true)
            {
                if (i >= line.Length)
                    throw Error(lineNumber, $"string field '{key}' is not closed with '\"'");
                if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\')
                    i += 2;
                else if (line[i++] == '"')
                    return null;
            }
        }
        var start = i;
        while (i < line.Length && line[i] is not (',' or ' '))
            i++;
        var token = line[start..i];
        switch (token)
        {
            case "t" or "T" or "true" or "True" or "TRUE": return 1;
            case "f" or "F" or "false" or "False" or "FALSE": return 0;
        }
        if (token.Length > 1 && token[^1] is 'i' or 'u')
        {
            var digits = token[..^1];
            if (token[^1] == 'i' && long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                return l;
            if (token[^1] == 'u' && ulong.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var u))
                return u;
            throw Error(lineNumber, $"field '{key}': '{token}' is not an integer");
        }
        if (token.Length > 0 && token.All(c => char.IsAsciiDigit(c) || c is '+' or '-' or '.' or 'e' or 'E')
            && double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            return d;
        throw Error(lineNumber, $"field '{key}': '{token}' is not a number, boolean or quoted string");
    }

    // Reads up to an unescaped ',' or ' ' (and '=' for keys); a backslash before one of those makes it literal.
    private static string ReadEscaped(string line, ref int i, bool stopAtEquals)
    {
        var sb = new StringBuilder();
        while (i < line.Length)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length && line[i + 1] is ',' or ' ' or '=')
            {
                sb.Append(line[i + 1]);
                i += 2;
                continue;
            }
            if (c is ',' or ' ' || (stopAtEquals && c == '='))
                break;
            sb.Append(c);
            i++;
        }
        return sb.ToString();
    }

    private static void SkipSpaces(string line, ref int i)
    {
        while (i < line.Length && line[i] == ' ')
            i++;
    }

    private static MetricFormatException Error(int lineNumber, string reason) => new("influx", lineNumber, reason);
}
