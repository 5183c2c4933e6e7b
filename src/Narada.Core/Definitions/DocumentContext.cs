using Narada.Core.Contracts;
using Narada.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Narada.Core.Definitions;

/// <summary>One definitions file being read: a <see cref="YamlSource"/> that also knows the config directory and
/// collects the names it refers to.</summary>
internal sealed class DocumentContext(string file, string configDirectory, List<YamlError> errors) : YamlSource(file, errors)
{
    public string ConfigDirectory { get; } = configDirectory;

    /// <summary>Names used by one definition that must exist as another (a check's handlers, a host's groups).</summary>
    public List<NameReference> References { get; } = [];

    public DefinitionSource SourceOf(YamlNode node) => new(File, (int)node.Start.Line + LineOffset, (int)node.Start.Column);

    public void Reference(DefinitionKind kind, string name, YamlNode at, string keyPath) =>
        References.Add(new NameReference(kind, name, new YamlError(File, (int)at.Start.Line + LineOffset, (int)at.Start.Column, keyPath, "")));
}

/// <summary>A name written at <see cref="At"/> (an error template with the position) that must name an existing definition of <see cref="Kind"/>.</summary>
internal sealed record NameReference(DefinitionKind Kind, string Name, YamlError At);

/// <summary>What the definition parsers need of their readers beyond plain YAML.</summary>
internal static class DefinitionReading
{
    /// <summary>The file a definition reader reads: the loader makes every one of them over a <see cref="DocumentContext"/>.</summary>
    public static DocumentContext Document(this MappingReader reader) => (DocumentContext)reader.Context;

    /// <summary>Reports unknown top-level keys of <paramref name="kind"/>, naming the kinds that have a key that is no near miss.</summary>
    public static void RejectUnknownKeys(this MappingReader reader, DefinitionKind kind) =>
        reader.RejectUnknownKeys(DefinitionKinds.Of(kind).YamlName, key => DefinitionKeys.OthersWithKey(kind, key));

    /// <summary>Template variables: any nesting of mappings, lists and typed scalars.</summary>
    public static IReadOnlyDictionary<string, object?> Vars(this MappingReader reader, string key)
    {
        var node = reader.Value(key);
        if (node is null)
            return DefinitionVars.Empty;
        if (node is not YamlMappingNode)
        {
            reader.Context.Error(node, reader.PathOf(key), $"expected a mapping of variables, found {YamlText.Describe(node)}");
            return DefinitionVars.Empty;
        }
        return DefinitionVars.FromYaml(node, reader.PathOf(key), reader.Context) as IReadOnlyDictionary<string, object?> ?? DefinitionVars.Empty;
    }
}
