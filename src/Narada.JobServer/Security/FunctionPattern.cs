namespace Narada.JobServer.Security;

/// <summary>
/// A glob over function names (or admin commands): <c>*</c> any run of characters, <c>?</c> one character, and
/// <c>{cn}</c> replaced by the connection's own name, so <c>narada.*@{cn}</c> lets every agent serve only its own host.
/// </summary>
public sealed class FunctionPattern
{
    public const string OwnNamePlaceholder = "{cn}";

    private FunctionPattern(string text) => Text = text;

    public string Text { get; }

    /// <summary>True when the pattern names the connection itself and so needs an identity to match.</summary>
    public bool UsesOwnName => Text.Contains(OwnNamePlaceholder, StringComparison.Ordinal);

    public static FunctionPattern Parse(string text)
    {
        if (string.IsNullOrEmpty(text))
            throw new FormatException("a pattern must not be empty");
        var rest = text.Replace(OwnNamePlaceholder, "", StringComparison.Ordinal);
        if (rest.Contains('{') || rest.Contains('}'))
            throw new FormatException($"'{text}': the only placeholder is {OwnNamePlaceholder}");
        return new FunctionPattern(text);
    }

    /// <summary>Whether <paramref name="value"/> matches for a connection known by <paramref name="identity"/>.</summary>
    public bool Matches(string value, PeerIdentity identity)
    {
        if (!UsesOwnName)
            return Glob(Text, value);
        foreach (var name in identity.Names)
        {
            // A name with glob characters must not widen the pattern: such a name never matches.
            if (name.AsSpan().IndexOfAny('*', '?') >= 0)
                continue;
            if (Glob(Text.Replace(OwnNamePlaceholder, name, StringComparison.Ordinal), value))
                return true;
        }
        return false;
    }

    /// <summary>Iterative glob with single backtrack point: linear-ish, no regex, no catastrophic cases.</summary>
    private static bool Glob(ReadOnlySpan<char> pattern, ReadOnlySpan<char> value)
    {
        int p = 0, v = 0, star = -1, mark = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == value[v]))
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = v;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++mark;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
            p++;
        return p == pattern.Length;
    }

    public override string ToString() => Text;
}
