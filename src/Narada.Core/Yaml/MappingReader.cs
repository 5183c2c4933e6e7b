using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Narada.Core.Yaml;

/// <summary>
/// Reads the keys of one YAML mapping with type checks, reporting every problem with its position and key path.
/// Keys never asked for are unknown: <see cref="RejectUnknownKeys"/> reports them with the nearest valid key. Every YAML
/// file Narada reads (definitions, the agent's configuration and plugin manifests, the job server's ACL) is read with it.
/// </summary>
public sealed class MappingReader
{
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);
    private readonly List<string> _asked = [];

    private MappingReader(YamlMappingNode node, string path, YamlSource context)
    {
        Node = node;
        Path = path;
        Context = context;
        foreach (var (key, value) in node.Children)
        {
            if (key is YamlScalarNode { Value: { } name } scalar)
            {
                _entries[name] = (scalar, value);
            }
            else
            {
                context.Error(key, path, $"a key must be a plain name, found {YamlText.Describe(key)}");
            }
        }
    }

    public YamlMappingNode Node { get; }

    public string Path { get; }

    public YamlSource Context { get; }

    /// <summary>A reader for <paramref name="node"/>, or null (with an error) when it is not a mapping.</summary>
    public static MappingReader? For(YamlNode node, string path, YamlSource context)
    {
        if (node is YamlMappingNode mapping)
        {
            return new MappingReader(mapping, path, context);
        }

        context.Error(node, path, $"expected a mapping (key: value lines), found {YamlText.Describe(node)}");
        return null;
    }

    public string PathOf(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    /// <summary>The value of a key, or null when absent or written as null; marks the key as known.</summary>
    public YamlNode? Value(string key, bool required = false)
    {
        if (!_asked.Contains(key))
        {
            _asked.Add(key);
        }

        if (_entries.TryGetValue(key, out var entry) && !YamlText.IsNull(entry.Value))
        {
            return entry.Value;
        }

        if (required)
        {
            Missing(key);
        }

        return null;
    }

    public YamlScalarNode? KeyNode(string key) => _entries.TryGetValue(key, out var entry) ? entry.Key : null;

    public void Missing(string key, string? hint = null) =>
        Context.Error(Node, PathOf(key), hint is null ? "missing required key" : $"missing required key: {hint}");

    public string? String(string key, bool required = false)
    {
        var node = Value(key, required);
        return node is null ? null : Scalar(node, PathOf(key));
    }

    /// <summary>The text of a scalar node, or null (with an error) when it is a list or mapping.</summary>
    public string? Scalar(YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: { } text })
        {
            return text;
        }

        Context.Error(node, path, $"expected a single value, found {YamlText.Describe(node)}");
        return null;
    }

    public YamlSequenceNode? Sequence(string key, bool required = false)
    {
        var node = Value(key, required);
        switch (node)
        {
            case null:
                return null;
            case YamlSequenceNode sequence:
                return sequence;
            case YamlScalarNode { Value: { } single }:
                Context.Error(node, PathOf(key), $"expected a list, found '{single}'", $"[{single}]");
                return null;
            default:
                Context.Error(node, PathOf(key), $"expected a list, found {YamlText.Describe(node)}");
                return null;
        }
    }

    /// <summary>The scalar items of a list key with their nodes and paths; non-scalar items are reported.</summary>
    public IReadOnlyList<(string Text, YamlNode Node, string Path)> StringItems(string key, bool required = false)
    {
        var items = new List<(string, YamlNode, string)>();
        var sequence = Sequence(key, required);
        if (sequence is null)
        {
            return items;
        }

        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var path = $"{PathOf(key)}[{i}]";
            var item = sequence.Children[i];
            if (YamlText.IsNull(item) || item is YamlScalarNode { Value: "" })
            {
                Context.Error(item, path, "empty list item");
            }
            else if (Scalar(item, path) is { } text)
            {
                items.Add((text, item, path));
            }
        }

        return items;
    }

    /// <summary>A key that takes one value or a list of them (<c>identity: web01</c> or <c>identity: [web01, web02]</c>).</summary>
    public IReadOnlyList<(string Text, YamlNode Node, string Path)> OneOrMany(string key)
    {
        if (Value(key) is YamlScalarNode { Value: { } single } scalar)
        {
            if (single.Length > 0)
            {
                return [(single, scalar, PathOf(key))];
            }

            Context.Error(scalar, PathOf(key), "expected a non-empty string");
            return [];
        }

        if (Value(key) is YamlMappingNode mapping)
        {
            Context.Error(mapping, PathOf(key), "must be a string or a list of strings, found a mapping");
            return [];
        }

        return StringItems(key);
    }

    public IReadOnlyList<string> StringList(string key, bool required = false) =>
        StringItems(key, required).Select(item => item.Text).ToArray();

    public MappingReader? Map(string key, bool required = false)
    {
        var node = Value(key, required);
        return node is null ? null : For(node, PathOf(key), Context);
    }

    /// <summary>A mapping of names to single values (such as params or headers).</summary>
    public IReadOnlyDictionary<string, string> StringMap(string key)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var map = Map(key);
        if (map is null)
        {
            return result;
        }

        foreach (var (name, (keyNode, valueNode)) in map._entries)
        {
            if (YamlText.IsNull(valueNode))
            {
                Context.Error(keyNode, map.PathOf(name), "needs a value (quote it if it is empty: \"\")");
            }
            else if (map.Scalar(valueNode, map.PathOf(name)) is { } text)
            {
                result[name] = text;
            }
        }

        return result;
    }

    /// <summary>A duration (<see cref="Definitions.Duration"/>'s grammar) of more than zero, or of at least
    /// <paramref name="min"/>, and at most <paramref name="max"/> when given.</summary>
    public TimeSpan? Duration(string key, bool required = false, bool allowZero = false, TimeSpan? min = null, TimeSpan? max = null)
    {
        var node = Value(key, required);
        if (node is null || Scalar(node, PathOf(key)) is not { } text)
        {
            return null;
        }

        if (!Definitions.Duration.TryParse(text, out var value, out var reason))
        {
            Context.Error(node, PathOf(key), $"bad duration: {reason}");
            return null;
        }

        if (min is { } least ? value < least : value <= TimeSpan.Zero && !allowZero)
        {
            Context.Error(node, PathOf(key), min is { } m
                ? $"bad duration: '{text}' is less than {Definitions.Duration.Format(m)}"
                : $"bad duration: '{text}' must be more than zero");
            return null;
        }

        if (max is { } most && value > most)
        {
            Context.Error(node, PathOf(key), $"bad duration: '{text}' is more than {Definitions.Duration.Format(most)}");
            return null;
        }

        return value;
    }

    /// <summary>A byte count (<see cref="Definitions.ByteSize"/>'s grammar: 65536, 512KiB, 1MiB) of at least <paramref name="min"/>.</summary>
    public long? ByteSize(string key, long min)
    {
        var node = Value(key);
        if (node is null || Scalar(node, PathOf(key)) is not { } text)
        {
            return null;
        }

        if (!Definitions.ByteSize.TryParse(text, out var value) || value < min)
        {
            Context.Error(node, PathOf(key), $"'{text}' is not {Definitions.ByteSize.Expected} of at least {min} bytes");
            return null;
        }

        return value;
    }

    public int? Integer(string key, int min, int max = int.MaxValue)
    {
        var node = Value(key);
        if (node is null || Scalar(node, PathOf(key)) is not { } text)
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            Context.Error(node, PathOf(key), max == int.MaxValue
                ? $"expected a whole number of at least {min}, found '{text}'"
                : $"expected a whole number from {min} to {max}, found '{text}'");
            return null;
        }

        return value;
    }

    public bool? Boolean(string key)
    {
        var node = Value(key);
        if (node is null || Scalar(node, PathOf(key)) is not { } text)
        {
            return null;
        }

        if (!bool.TryParse(text, out var value))
        {
            Context.Error(node, PathOf(key), $"expected true or false, found '{text}'");
            return null;
        }

        return value;
    }

    /// <summary>
    /// Every entry of a mapping whose keys the user chooses (command names, parameters, variables), in file order, with
    /// the path of each value; all of them count as known.
    /// </summary>
    public IReadOnlyList<(string Name, YamlScalarNode Key, YamlNode Value, string Path)> Entries()
    {
        var entries = new List<(string, YamlScalarNode, YamlNode, string)>();
        foreach (var (name, (key, value)) in _entries)
        {
            if (!_asked.Contains(name))
            {
                _asked.Add(name);
            }

            entries.Add((name, key, value, PathOf(name)));
        }

        return entries;
    }

    /// <summary>
    /// Reports every key that no reader asked for, suggesting the nearest one that was. <paramref name="owner"/> names
    /// what the mapping is ("for Check"); <paramref name="ownersOf"/> may say which other owners have a key, when the
    /// key is no near miss ("'handlers' is a key of Check").
    /// </summary>
    public void RejectUnknownKeys(string? owner = null, Func<string, IEnumerable<string>>? ownersOf = null)
    {
        foreach (var (name, (key, _)) in _entries)
        {
            if (!_asked.Contains(name))
            {
                var where = owner is null ? "" : $" for {owner}";
                var suggestion = NearestName.Find(name, _asked);
                var elsewhere = ownersOf is null || suggestion is not null ? [] : ownersOf(name).ToArray();
                var belongs = elsewhere.Length == 0 ? "" : $" ('{name}' is a key of {string.Join(" and ", elsewhere)})";
                Context.Error(key, PathOf(name), $"unknown key{where}{belongs}", suggestion);
            }
        }
    }
}
