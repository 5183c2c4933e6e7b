using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Narada.Core.Yaml;

/// <summary>How YAML nodes read as text: null detection and short descriptions for error messages.</summary>
public static class YamlText
{
    /// <summary>A plain (unquoted) empty, ~ or null scalar is YAML's null: "key:" with nothing after it.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any } scalar
        && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    public static string Describe(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        YamlScalarNode scalar when IsNull(scalar) => "nothing (null)",
        YamlScalarNode { Value: { } value } => $"'{Shorten(value)}'",
        _ => "an unsupported node",
    };

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..37] + "...";
}
