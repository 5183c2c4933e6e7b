using System.Text;

namespace Narada.Plugins.System.Facts;

/// <summary>Reads os-release(5): KEY=value lines, values optionally in shell quotes with backslash escapes.</summary>
public static class OsRelease
{
    /// <summary>The assignments of an os-release file; comments, blank and malformed lines are skipped.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#')
                continue;
            var equals = line.IndexOf('=');
            if (equals <= 0)
                continue;
            var key = line[..equals];
            if (!IsKey(key))
                continue;
            values[key] = Unquote(line[(equals + 1)..]);
        }
        return values;
    }

    private static bool IsKey(string key)
    {
        foreach (var c in key)
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
                return false;
        return true;
    }

    private static string Unquote(string value)
    {
        if (value.Length < 2 || (value[0] != '"' && value[0] != '\'') || value[^1] != value[0])
            return value;
        var quote = value[0];
        var inner = value[1..^1];
        if (quote == '\'')
            return inner;
        var builder = new StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            // Inside double quotes a backslash escapes only $ " \ and `, as in the shell.
            if (inner[i] == '\\' && i + 1 < inner.Length && inner[i + 1] is '$' or '"' or '\\' or '`')
                i++;
            builder.Append(inner[i]);
        }
        return builder.ToString();
    }
}
