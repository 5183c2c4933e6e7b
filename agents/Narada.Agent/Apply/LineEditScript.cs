namespace Narada.Agent.Apply;

/// <summary>One step of turning the old lines into the new ones.</summary>
internal enum LineEdit : byte
{
    Keep,
    Delete,
    Insert,
}

/// <summary>A shortest edit script between two line lists (Myers' O(ND) algorithm), as a list of keep/delete/insert steps.</summary>
internal static class LineEditScript
{
    // The trace of a Myers search grows with D²; past this many differences a config file is better shown replaced wholesale.
    private const int MaxDifferences = 2000;

    public static List<LineEdit> Create(IReadOnlyList<string> oldLines, IReadOnlyList<string> newLines)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        int Id(string line) => ids.TryGetValue(line, out var id) ? id : ids[line] = ids.Count;
        var a = oldLines.Select(Id).ToArray();
        var b = newLines.Select(Id).ToArray();

        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
            prefix++;
        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)])
            suffix++;

        var edits = new List<LineEdit>(a.Length + b.Length);
        edits.AddRange(Enumerable.Repeat(LineEdit.Keep, prefix));
        edits.AddRange(Middle(a.AsSpan(prefix, a.Length - prefix - suffix), b.AsSpan(prefix, b.Length - prefix - suffix)));
        edits.AddRange(Enumerable.Repeat(LineEdit.Keep, suffix));
        return DeletionsFirst(edits);
    }

    private static List<LineEdit> Middle(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int n = a.Length, m = b.Length, max = n + m;
        if (n == 0 || m == 0)
            return [.. Enumerable.Repeat(LineEdit.Delete, n), .. Enumerable.Repeat(LineEdit.Insert, m)];

        var offset = max + 1;
        var v = new int[2 * max + 3];
        var trace = new List<int[]>();
        for (var d = 0; d <= max; d++)
        {
            if (d > MaxDifferences)
                return [.. Enumerable.Repeat(LineEdit.Delete, n), .. Enumerable.Repeat(LineEdit.Insert, m)];
            trace.Add(v.AsSpan(offset - d, 2 * d + 1).ToArray());
            for (var k = -d; k <= d; k += 2)
            {
                var x = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
                var y = x - k;
                while (x < n && y < m && a[x] == b[y])
                {
                    x++;
                    y++;
                }
                v[offset + k] = x;
                if (x >= n && y >= m)
                    return Backtrack(trace, n, m);
            }
        }
        throw new InvalidOperationException("unreachable: a path of length n + m always exists");
    }

    /// <summary>Walks the saved frontiers back from the end, emitting steps in reverse.</summary>
    private static List<LineEdit> Backtrack(List<int[]> trace, int n, int m)
    {
        var edits = new List<LineEdit>(n + m);
        int x = n, y = m;
        for (var d = trace.Count - 1; d >= 0; d--)
        {
            var frontier = trace[d];
            int At(int k) => frontier[k + d];
            var k = x - y;
            var previousK = k == -d || (k != d && At(k - 1) < At(k + 1)) ? k + 1 : k - 1;
            var previousX = d == 0 ? 0 : At(previousK);
            var previousY = d == 0 ? 0 : previousX - previousK;
            while (x > previousX && y > previousY)
            {
                edits.Add(LineEdit.Keep);
                x--;
                y--;
            }
            if (d > 0)
                edits.Add(x == previousX ? LineEdit.Insert : LineEdit.Delete);
            x = previousX;
            y = previousY;
        }
        edits.Reverse();
        return edits;
    }

    /// <summary>Within each run of changes, lists deletions before insertions, as diff(1) prints them.</summary>
    private static List<LineEdit> DeletionsFirst(List<LineEdit> edits)
    {
        var ordered = new List<LineEdit>(edits.Count);
        for (var i = 0; i < edits.Count;)
        {
            if (edits[i] == LineEdit.Keep)
            {
                ordered.Add(edits[i++]);
                continue;
            }
            int deletes = 0, inserts = 0;
            for (; i < edits.Count && edits[i] != LineEdit.Keep; i++)
            {
                if (edits[i] == LineEdit.Delete)
                    deletes++;
                else
                    inserts++;
            }
            ordered.AddRange(Enumerable.Repeat(LineEdit.Delete, deletes));
            ordered.AddRange(Enumerable.Repeat(LineEdit.Insert, inserts));
        }
        return ordered;
    }
}
