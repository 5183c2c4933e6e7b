namespace Narada.Core.Formats;

/// <summary>Turns arbitrary text (Nagios labels, Graphite paths, Influx keys) into valid Prometheus names.</summary>
public static class MetricName
{
    /// <summary>
    /// A valid metric name <c>[a-zA-Z_][a-zA-Z0-9_]*</c>: every run of other characters becomes one <c>_</c>, a
    /// leading digit gets a <c>_</c> prefix. Colons are replaced too, because Prometheus reserves them for recording
    /// rules. Empty input gives <c>_</c>.
    /// </summary>
    public static string Sanitize(string text) => Clean(text, trimUnderscores: false);

    /// <summary>A valid label name: like <see cref="Sanitize"/>, and never starting with the reserved <c>__</c>.</summary>
    public static string SanitizeLabel(string text)
    {
        var name = Clean(text, trimUnderscores: false);
        if (!name.StartsWith("__", StringComparison.Ordinal))
            return name;
        var rest = name.TrimStart('_');
        if (rest.Length == 0)
            return "_";
        return char.IsAsciiDigit(rest[0]) ? "_" + rest : rest;
    }

    /// <summary>Joins parts with <c>_</c>, each cleaned, empty parts dropped: <c>("check_disk", "/var")</c> → <c>check_disk_var</c>.</summary>
    public static string Join(params ReadOnlySpan<string> parts)
    {
        var cleaned = new List<string>(parts.Length);
        foreach (var part in parts)
        {
            var c = Clean(part, trimUnderscores: true);
            if (c.Length > 0)
                cleaned.Add(c);
        }
        return cleaned.Count == 0 ? "_" : Sanitize(string.Join('_', cleaned));
    }

    /// <summary>True when <paramref name="name"/> is already a valid Prometheus metric name (colons allowed).</summary>
    public static bool IsValid(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] is '_' or ':'))
            return false;
        foreach (var c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or ':'))
                return false;
        return true;
    }

    /// <summary>True when <paramref name="name"/> is a valid label name (no colons).</summary>
    public static bool IsValidLabel(string name)
    {
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_'))
            return false;
        foreach (var c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_'))
                return false;
        return true;
    }

    private static string Clean(string text, bool trimUnderscores)
    {
        var sb = new System.Text.StringBuilder(text.Length + 1);
        var lastWasReplacement = false;
        foreach (var c in text)
        {
            if (char.IsAsciiLetterOrDigit(c) || c == '_')
            {
                sb.Append(c);
                lastWasReplacement = false;
            }
            else if (!lastWasReplacement)
            {
                sb.Append('_');
                lastWasReplacement = true;
            }
        }
        var s = trimUnderscores ? sb.ToString().Trim('_') : sb.ToString();
        if (trimUnderscores)
            return s;
        if (s.Length == 0)
            return "_";
        return char.IsAsciiDigit(s[0]) ? "_" + s : s;
    }
}
