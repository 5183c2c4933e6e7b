namespace Narada.Bench.Fleet;

/// <summary>
/// Writes one benchmark's report into bench/RESULTS.md as <c>### name</c> under its <c>## Section</c> heading, leaving
/// every other section (other engineers' "Gearman library" and "Job server" ones) exactly as it was.
/// </summary>
internal static class ResultsFile
{
    public static void Write(string path, string section, string name, IReadOnlyList<string> body)
    {
        var lines = File.Exists(path) ? File.ReadAllLines(path).ToList() : ["# Benchmark results", ""];
        var block = new List<string> { $"### {name}", "" };
        block.AddRange(body);
        block.Add("");

        int sectionStart = lines.FindIndex(l => l.Trim() == $"## {section}");
        if (sectionStart < 0)
        {
            if (lines.Count > 0 && lines[^1].Length > 0)
                lines.Add("");
            lines.Add($"## {section}");
            lines.Add("");
            lines.AddRange(block);
        }
        else
        {
            int sectionEnd = lines.FindIndex(sectionStart + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
            if (sectionEnd < 0)
                sectionEnd = lines.Count;
            int start = lines.FindIndex(sectionStart + 1, sectionEnd - sectionStart - 1, l => l.Trim() == $"### {name}");
            if (start < 0)
            {
                if (lines[sectionEnd - 1].Length > 0)
                    block.Insert(0, ""); // the section's last block ended without a blank line
                lines.InsertRange(sectionEnd, block);
            }
            else
            {
                int end = lines.FindIndex(start + 1, sectionEnd - start - 1, l => l.StartsWith("### ", StringComparison.Ordinal));
                if (end < 0)
                    end = sectionEnd;
                lines.RemoveRange(start, end - start);
                lines.InsertRange(start, block);
            }
        }
        File.WriteAllText(path, string.Join('\n', lines).TrimEnd('\n') + "\n");
    }
}
