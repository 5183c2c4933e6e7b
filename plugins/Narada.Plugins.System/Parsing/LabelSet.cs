namespace Narada.Plugins.System.Parsing;

/// <summary>Builds the small read-only label dictionaries samples carry.</summary>
internal static class LabelSet
{
    public static IReadOnlyDictionary<string, string> Of(string name, string value) =>
        new Dictionary<string, string>(1, StringComparer.Ordinal) { [name] = value };

    public static IReadOnlyDictionary<string, string> Of(string name1, string value1, string name2, string value2) =>
        new Dictionary<string, string>(2, StringComparer.Ordinal) { [name1] = value1, [name2] = value2 };
}
