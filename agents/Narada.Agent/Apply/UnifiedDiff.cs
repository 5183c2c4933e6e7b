using System.Text;

namespace Narada.Agent.Apply;

/// <summary>Unified diffs in the format of <c>diff -u</c>, so operators read them and <c>patch</c> applies them.</summary>
public static class UnifiedDiff
{
    private const string NoNewline = "\\ No newline at end of file\n";

    /// <summary>The unified diff turning <paramref name="oldText"/> into <paramref name="newText"/>; empty when they are equal.</summary>
    public static string Create(string oldText, string newText, string oldLabel, string newLabel, int context = 3)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(context);
        var oldLines = Lines(oldText);
        var newLines = Lines(newText);
        var edits = LineEditScript.Create(oldLines, newLines);
        if (edits.All(edit => edit == LineEdit.Keep))
            return "";

        var diff = new StringBuilder().Append("--- ").Append(oldLabel).Append('\n').Append("+++ ").Append(newLabel).Append('\n');
        // Line positions before each edit, so a hunk knows where it starts in both files.
        var oldAt = new int[edits.Count + 1];
        var newAt = new int[edits.Count + 1];
        for (var i = 0; i < edits.Count; i++)
        {
            oldAt[i + 1] = oldAt[i] + (edits[i] == LineEdit.Insert ? 0 : 1);
            newAt[i + 1] = newAt[i] + (edits[i] == LineEdit.Delete ? 0 : 1);
        }

        foreach (var (first, last) in Hunks(edits, context))
        {
            int oldCount = oldAt[last + 1] - oldAt[first], newCount = newAt[last + 1] - newAt[first];
            diff.Append("@@ -").Append(Range(oldAt[first], oldCount))
                .Append(" +").Append(Range(newAt[first], newCount)).Append(" @@\n");
            for (var i = first; i <= last; i++)
            {
                var (marker, line) = edits[i] switch
                {
                    LineEdit.Keep => (' ', oldLines[oldAt[i]]),
                    LineEdit.Delete => ('-', oldLines[oldAt[i]]),
                    _ => ('+', newLines[newAt[i]]),
                };
                diff.Append(marker).Append(line);
                if (!line.EndsWith('\n'))
                    diff.Append('\n').Append(NoNewline);
            }
        }
        return diff.ToString();
    }

    /// <summary>Edit index ranges of each hunk: changes plus context, merged when their contexts touch (as diff(1) does).</summary>
    private static List<(int First, int Last)> Hunks(List<LineEdit> edits, int context)
    {
        var hunks = new List<(int First, int Last)>();
        var changes = Enumerable.Range(0, edits.Count).Where(i => edits[i] != LineEdit.Keep).ToList();
        var start = changes[0];
        var end = changes[0];
        foreach (var change in changes.Skip(1))
        {
            if (change - end - 1 > 2 * context)
            {
                hunks.Add((Math.Max(0, start - context), Math.Min(edits.Count - 1, end + context)));
                start = change;
            }
            end = change;
        }
        hunks.Add((Math.Max(0, start - context), Math.Min(edits.Count - 1, end + context)));
        return hunks;
    }

    /// <summary>diff(1)'s range: "start,count", the count omitted when 1, and the line before when empty.</summary>
    private static string Range(int linesBefore, int count) => count switch
    {
        0 => $"{linesBefore},0",
        1 => $"{linesBefore + 1}",
        _ => $"{linesBefore + 1},{count}",
    };

    /// <summary>Lines with their terminating newline kept, so a missing final newline is a difference of its own.</summary>
    private static List<string> Lines(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lines.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }
        if (start < text.Length)
            lines.Add(text[start..]);
        return lines;
    }
}
