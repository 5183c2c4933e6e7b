namespace Narada.Bench.Report;

/// <summary>
/// Rewrites one section of bench/RESULTS.md (a heading and everything up to the next heading of the same or a higher
/// level) and leaves the rest of the file, other engineers' sections included, as it was.
/// </summary>
public static class ResultsFile
{
    private const string Title = "# Narada benchmark results";

    /// <summary>
    /// Replaces the section under <paramref name="heading"/> (e.g. <c>"### Idle workers"</c>) with <paramref name="body"/>;
    /// a missing section is added at the end of <paramref name="parent"/> (e.g. <c>"## Job server"</c>), or of the file.
    /// </summary>
    public static void WriteSection(string path, string heading, string body, string? parent = null)
    {
        var lines = File.Exists(path) ? File.ReadAllLines(path).ToList() : [Title, ""];
        var section = new List<string> { heading, "" };
        section.AddRange(body.TrimEnd().Split('\n'));
        section.Add("");

        int start = lines.IndexOf(heading);
        if (start >= 0)
        {
            int end = SectionEnd(lines, start);
            lines.RemoveRange(start, end - start);
            lines.InsertRange(start, section);
        }
        else if (parent is not null)
        {
            int parentStart = lines.IndexOf(parent);
            if (parentStart < 0)
            {
                EnsureBlankLine(lines);
                lines.AddRange([parent, ""]);
                parentStart = lines.Count - 2;
            }
            int insertAt = SectionEnd(lines, parentStart);
            lines.InsertRange(insertAt, section);
        }
        else
        {
            EnsureBlankLine(lines);
            lines.AddRange(section);
        }
        File.WriteAllText(path, string.Join('\n', lines).TrimEnd() + "\n");
    }

    /// <summary>Index of the first line after the section that starts at <paramref name="start"/>.</summary>
    private static int SectionEnd(List<string> lines, int start)
    {
        int level = Level(lines[start]);
        bool fenced = false;
        for (int i = start + 1; i < lines.Count; i++)
        {
            if (lines[i].StartsWith("```", StringComparison.Ordinal))
                fenced = !fenced;
            else if (!fenced && Level(lines[i]) is > 0 and var l && l <= level)
                return i;
        }
        return lines.Count;
    }

    /// <summary>The markdown heading level of a line, 0 when it is not a heading.</summary>
    private static int Level(string line)
    {
        int n = 0;
        while (n < line.Length && line[n] == '#')
            n++;
        return n > 0 && n < line.Length && line[n] == ' ' ? n : 0;
    }

    private static void EnsureBlankLine(List<string> lines)
    {
        if (lines.Count > 0 && lines[^1].Length > 0)
            lines.Add("");
    }
}
