using System.Globalization;
using Narada.Core.Contracts;
using Narada.Core.Yaml;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Narada.Core.Definitions;

/// <summary>
/// Template variables read from YAML as plain objects: mappings become dictionaries, lists become lists, and plain
/// scalars become bool, long, double or null by the YAML core schema (quoted scalars stay strings).
/// </summary>
internal static class DefinitionVars
{
    // Aliases let a few lines of YAML expand to millions of nodes; variables beyond this are refused, not expanded.
    private const int MaxNodes = 10_000;
    private const int MaxDepth = 32;

    public static IReadOnlyDictionary<string, object?> Empty { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    public static object? FromYaml(YamlNode node, string path, YamlSource context)
    {
        var budget = MaxNodes;
        return Convert(node, path, context, 0, ref budget);
    }

    private static object? Convert(YamlNode node, string path, YamlSource context, int depth, ref int budget)
    {
        if (depth > MaxDepth || --budget < 0)
        {
            // Report once per variables block, then refuse the rest silently.
            if (budget >= -1)
            {
                context.Error(node, path, $"variables are too large or too deeply nested (at most {MaxNodes} values, {MaxDepth} levels)");
            }

            budget = -2;
            return null;
        }

        switch (node)
        {
            case YamlMappingNode mapping:
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is YamlScalarNode { Value: { } name })
                    {
                        map[name] = Convert(value, $"{path}.{name}", context, depth + 1, ref budget);
                    }
                    else
                    {
                        context.Error(key, path, $"a variable name must be a plain name, found {YamlText.Describe(key)}");
                    }
                }

                return map;
            case YamlSequenceNode sequence:
                var list = new List<object?>(sequence.Children.Count);
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    list.Add(Convert(sequence.Children[i], $"{path}[{i}]", context, depth + 1, ref budget));
                }

                return list;
            case YamlScalarNode scalar:
                return Typed(scalar);
            default:
                return null;
        }
    }

    private static object? Typed(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (ScalarStyle.Plain or ScalarStyle.Any))
        {
            return text;
        }

        if (YamlText.IsNull(scalar))
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE")
        {
            return true;
        }

        if (text is "false" or "False" or "FALSE")
        {
            return false;
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            return whole;
        }

        if (double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var real))
        {
            return real;
        }

        return text;
    }
}
