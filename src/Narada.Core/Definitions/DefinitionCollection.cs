using Narada.Core.Contracts;
using Narada.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Narada.Core.Definitions;

/// <summary>Gathers the documents of all files: dispatches each by kind, catches duplicate names, resolves references.</summary>
internal sealed class DefinitionCollection
{
    private readonly Dictionary<DefinitionKind, Dictionary<string, DefinitionSource>> _names = DefinitionKinds.All
        .ToDictionary(kind => kind.Kind, _ => new Dictionary<string, DefinitionSource>(StringComparer.Ordinal));

    private readonly Dictionary<string, CheckDefinition> _checks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CollectorDefinition> _collectors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ApplyDefinition> _applies = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HandlerDefinition> _handlers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HostDefinition> _hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GroupDefinition> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DowntimeDefinition> _downtimes = new(StringComparer.Ordinal);

    public List<NameReference> References { get; } = [];

    public void Add(YamlNode root, DocumentContext context)
    {
        if (YamlText.IsNull(root))
        {
            return; // an empty document, e.g. after a trailing "---"
        }

        if (MappingReader.For(root, "", context) is not { } reader)
        {
            return;
        }

        var kindNode = reader.Value("kind", required: true);
        if (kindNode is null || reader.Scalar(kindNode, "kind") is not { } kindText)
        {
            return;
        }

        if (!DefinitionKinds.TryParseYaml(kindText, out var info))
        {
            context.Error(kindNode, "kind", $"unknown kind '{kindText}' (kinds: {string.Join(", ", DefinitionKinds.YamlNames)})",
                NearestName.Find(kindText, DefinitionKinds.YamlNames));
            return;
        }

        var kind = info.Kind;
        var name = Name(reader, info);
        var source = context.SourceOf(root);
        switch (kind)
        {
            case DefinitionKind.Check:
                Keep(_checks, name, CheckParser.Parse(reader, name ?? "", source));
                break;
            case DefinitionKind.Collector:
                Keep(_collectors, name, CollectorParser.Parse(reader, name ?? "", source));
                break;
            case DefinitionKind.Apply:
                Keep(_applies, name, ApplyParser.Parse(reader, name ?? "", source));
                break;
            case DefinitionKind.Handler:
                Keep(_handlers, name, HandlerParser.Parse(reader, name ?? "", source));
                break;
            case DefinitionKind.Host:
                Keep(_hosts, name, HostParser.ParseHost(reader, name ?? "", source));
                break;
            case DefinitionKind.Group:
                Keep(_groups, name, HostParser.ParseGroup(reader, name ?? "", source));
                break;
            case DefinitionKind.Downtime:
                Keep(_downtimes, name, DowntimeParser.Parse(reader, name ?? "", source));
                break;
            default:
                throw new InvalidOperationException($"kind {kind} has no parser");
        }
    }

    /// <summary>Reports every reference to a name no definition of its kind has, suggesting the nearest that exists.</summary>
    public void ResolveReferences(List<YamlError> errors)
    {
        foreach (var reference in References)
        {
            var known = _names[reference.Kind];
            if (!known.ContainsKey(reference.Name))
            {
                errors.Add(reference.At with
                {
                    Message = $"unknown {DefinitionKinds.Of(reference.Kind).YamlName.ToLowerInvariant()} '{reference.Name}'",
                    Suggestion = NearestName.Find(reference.Name, known.Keys),
                });
            }
        }
    }

    public DefinitionSet ToSet(string directory) =>
        new(_checks, _collectors, _applies, _handlers, _hosts, _groups) { Directory = directory, Downtimes = _downtimes };

    // The name is registered even when the rest of the document is broken, so references to it do not also fail.
    private string? Name(MappingReader reader, DefinitionKindInfo kind)
    {
        var context = reader.Document();
        var node = reader.Value("name", required: true);
        if (node is null || reader.Scalar(node, "name") is not { } name)
        {
            return null;
        }

        if (!DefinitionParts.IsValidName(name))
        {
            context.Error(node, "name", $"'{name}' is not a valid name: use letters, digits, '.', '_' and '-' (at most 128), starting with a letter or digit");
            return null;
        }

        var names = _names[kind.Kind];
        if (names.TryGetValue(name, out var first))
        {
            context.Error(node, "name", $"duplicate {kind.YamlName} name '{name}' (first defined at {first})");
            return null;
        }

        names[name] = context.SourceOf(node);
        return name;
    }

    private static void Keep<T>(Dictionary<string, T> definitions, string? name, T? definition)
        where T : class
    {
        if (name is not null && definition is not null)
        {
            definitions[name] = definition;
        }
    }
}
