using Narada.Core.Metrics;

namespace Narada.Core.Formats;

/// <summary>
/// The one entry point from a finished plugin process to a result. Status rules:
/// <list type="bullet">
/// <item>Nagios: the exit code (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN, anything else UNKNOWN with a note).</item>
/// <item>Text: 0 is OK, anything else CRITICAL: a plain command used as a check failed.</item>
/// <item>Prometheus, Graphite, Influx, JSON: 0 is OK, anything else UNKNOWN: the collector could not say, its samples
/// (still parsed) may be partial. Output that does not parse is UNKNOWN too, with the parser's error as a note.</item>
/// </list>
/// Never throws on what a plugin prints.
/// </summary>
public static class PluginOutput
{
    /// <param name="checkName">Prefix for the sample names made from Nagios perfdata (usually the definition name).</param>
    public static ParsedOutput Parse(OutputFormat format, int exitCode, string stdout, string stderr, string checkName = "check")
    {
        return format switch
        {
            OutputFormat.Nagios => FromNagios(exitCode, stdout, stderr, checkName),
            OutputFormat.Text => FromText(exitCode, stdout, stderr),
            _ => FromMetrics(format, exitCode, stdout, stderr),
        };
    }

    private static ParsedOutput FromNagios(int exitCode, string stdout, string stderr, string checkName)
    {
        var nagios = NagiosOutputParser.Parse(exitCode, stdout);
        var output = nagios.Output;
        if (output.Length == 0 && FirstLine(stderr) is { Length: > 0 } err)
            output = "(no output on stdout) stderr: " + err;
        var samples = new List<Sample>(nagios.PerfData.Count);
        foreach (var datum in nagios.PerfData)
            if (datum.ToSample(checkName) is { } sample)
                samples.Add(sample);
        return new ParsedOutput(nagios.Status, output)
        {
            LongOutput = nagios.LongOutput,
            PerfData = nagios.PerfData,
            Samples = samples,
            Notes = nagios.Notes,
        };
    }

    private static ParsedOutput FromText(int exitCode, string stdout, string stderr)
    {
        var text = stdout.Trim().Length > 0 ? stdout : stderr;
        var lines = text.ReplaceLineEndings("\n").Trim('\n').Split('\n', 2);
        var status = exitCode == 0 ? CheckStatus.Ok : CheckStatus.Critical;
        var notes = exitCode == 0 ? [] : new List<string> { $"exit code {exitCode}: the command failed" };
        return new ParsedOutput(status, lines[0].Trim())
        {
            LongOutput = lines.Length > 1 ? lines[1].TrimEnd() : "",
            Notes = notes,
        };
    }

    private static ParsedOutput FromMetrics(OutputFormat format, int exitCode, string stdout, string stderr)
    {
        var notes = new List<string>();
        IReadOnlyList<Sample> samples = [];
        var parsed = true;
        try
        {
            samples = format switch
            {
                OutputFormat.Prometheus => PrometheusTextParser.Parse(stdout),
                OutputFormat.Graphite => GraphiteParser.Parse(stdout),
                OutputFormat.Influx => InfluxLineParser.Parse(stdout),
                OutputFormat.Json => JsonSamplesParser.Parse(stdout),
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a metric format"),
            };
        }
        catch (MetricFormatException e)
        {
            notes.Add(e.Message);
            parsed = false;
        }
        string output;
        CheckStatus status;
        if (exitCode != 0)
        {
            status = CheckStatus.Unknown;
            output = $"exit code {exitCode}" + (FirstLine(stderr) is { Length: > 0 } err ? ": " + err : "");
        }
        else if (!parsed)
        {
            status = CheckStatus.Unknown;
            output = notes[0];
        }
        else
        {
            status = CheckStatus.Ok;
            output = $"{samples.Count} samples";
        }
        return new ParsedOutput(status, output) { Samples = samples, Notes = notes };
    }

    private static string FirstLine(string text)
    {
        foreach (var line in text.ReplaceLineEndings("\n").Split('\n'))
            if (line.Trim().Length > 0)
                return line.Trim();
        return "";
    }
}
