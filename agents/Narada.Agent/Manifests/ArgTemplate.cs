using System.Text;

namespace Narada.Agent.Manifests;

/// <summary>One argv string with <c>{param}</c> placeholders (<c>{{</c> and <c>}}</c> for literal braces), parsed once at load time.</summary>
public sealed class ArgTemplate
{
    private readonly IReadOnlyList<(string Text, bool IsParam)> _parts;

    private ArgTemplate(string source, IReadOnlyList<(string, bool)> parts)
    {
        Source = source;
        _parts = parts;
    }

    /// <summary>The text as written in the manifest.</summary>
    public string Source { get; }

    /// <summary>Names of the parameters this argument refers to.</summary>
    public IEnumerable<string> Params => _parts.Where(p => p.IsParam).Select(p => p.Text);

    /// <summary>Parses <paramref name="source"/>; returns null with a reason when a brace is unbalanced or a name is not valid.</summary>
    public static ArgTemplate? Parse(string source, out string? problem)
    {
        var parts = new List<(string, bool)>();
        var literal = new StringBuilder();
        problem = null;
        for (int i = 0; i < source.Length; i++)
        {
            char c = source[i];
            if ((c == '{' || c == '}') && i + 1 < source.Length && source[i + 1] == c)
            {
                literal.Append(c);
                i++;
            }
            else if (c == '{')
            {
                int close = source.IndexOf('}', i + 1);
                string name = close < 0 ? "" : source[(i + 1)..close];
                if (!ParamSpec.IsValidName(name))
                {
                    problem = close < 0 ? $"'{{' at column {i + 1} of \"{source}\" is not closed (write {{{{ for a literal brace)" : $"'{{{name}}}' is not a valid parameter placeholder";
                    return null;
                }
                if (literal.Length > 0)
                    parts.Add((literal.ToString(), false));
                literal.Clear();
                parts.Add((name, true));
                i = close;
            }
            else if (c == '}')
            {
                problem = $"'}}' at column {i + 1} of \"{source}\" has no opening brace (write }}}} for a literal brace)";
                return null;
            }
            else
            {
                literal.Append(c);
            }
        }
        if (literal.Length > 0 || parts.Count == 0)
            parts.Add((literal.ToString(), false));
        return new ArgTemplate(source, parts);
    }

    /// <summary>Fills the placeholders; null when one of them has no value (the caller drops the argument).</summary>
    public string? Render(IReadOnlyDictionary<string, string> values)
    {
        var text = new StringBuilder();
        foreach (var (part, isParam) in _parts)
        {
            if (!isParam)
                text.Append(part);
            else if (values.TryGetValue(part, out var value))
                text.Append(value);
            else
                return null;
        }
        return text.ToString();
    }

    public override string ToString() => Source;
}
