namespace Narada.Core.Formats;

/// <summary>
/// Reads a Nagios plugin's result (plugin guidelines and Nagios 3 long output): exit code 0–3 is the status, the first
/// line is <c>output | perfdata</c>, later lines are long output until one holds a <c>|</c>; from there on everything
/// is perfdata. Never throws on what a plugin prints.
/// </summary>
public static class NagiosOutputParser
{
    public static NagiosOutput Parse(int exitCode, string stdout)
    {
        var notes = new List<string>();
        var status = StatusOf(exitCode, notes);
        var lines = stdout.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n');
        var perfText = new List<string>();
        var (output, firstPerf) = SplitAtBar(lines[0]);
        if (firstPerf is not null)
            perfText.Add(firstPerf);
        var longLines = new List<string>();
        var inPerfData = false;
        foreach (var line in lines.AsSpan(1))
        {
            if (inPerfData)
            {
                perfText.Add(line);
                continue;
            }
            var (text, perf) = SplitAtBar(line);
            longLines.Add(text);
            if (perf is not null)
            {
                perfText.Add(perf);
                inPerfData = true;
            }
        }
        output = output.Trim();
        if (output.Length == 0)
            notes.Add("the plugin printed no output");
        var perfData = PerfDataParser.Parse(string.Join(' ', perfText), notes);
        return new NagiosOutput(status, output, string.Join('\n', longLines).TrimEnd(), perfData) { Notes = notes };
    }

    /// <summary>The status an exit code means; anything outside 0–3 (crash, signal, exec failure) is UNKNOWN.</summary>
    public static CheckStatus StatusOf(int exitCode, ICollection<string> notes)
    {
        if (exitCode is >= 0 and <= 3)
            return (CheckStatus)exitCode;
        notes.Add($"exit code {exitCode} is not a Nagios status (0-3), so the result is UNKNOWN");
        return CheckStatus.Unknown;
    }

    private static (string Text, string? PerfData) SplitAtBar(string line)
    {
        var bar = line.IndexOf('|');
        return bar < 0 ? (line, null) : (line[..bar], line[(bar + 1)..]);
    }
}
