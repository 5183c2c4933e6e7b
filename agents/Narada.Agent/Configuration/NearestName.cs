namespace Narada.Agent.Configuration;

/// <summary>Finds the known name closest to a misspelt one, for "did you mean" hints.</summary>
internal static class NearestName
{
    /// <summary>The closest candidate within a small edit distance, or null when none is plausibly meant.</summary>
    public static string? Find(string wrong, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            int distance = Distance(wrong.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
                (best, bestDistance) = (candidate, distance);
        }
        return bestDistance <= Math.Max(2, wrong.Length / 3) ? best : null;
    }

    /// <summary>" (did you mean 'x'?)" or nothing.</summary>
    public static string Hint(string wrong, IEnumerable<string> candidates) =>
        Find(wrong, candidates) is { } near ? $" (did you mean '{near}'?)" : "";

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
            previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
