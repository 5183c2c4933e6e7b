using System.Globalization;
using Narada.Core.Formats;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Narada.Agent.Configuration;

/// <summary>A node of a YAML file together with its file and key path, so every read can fail with a precise position.</summary>
internal sealed class YamlCursor(string file, YamlNode node, string keyPath)
{
    public YamlNode Node { get; } = node;
    public string File { get; } = file;
    public string KeyPath { get; } = keyPath;

    public SourcePosition Position => new(File, (int)Node.Start.Line, (int)Node.Start.Column);

    /// <summary>Parses one YAML document from <paramref name="path"/>; syntax errors and an empty file become <see cref="YamlFileException"/>.</summary>
    public static YamlCursor LoadFile(string path)
    {
        string text;
        try
        {
            text = System.IO.File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new YamlFileException(new SourcePosition(path, 0, 0), "", $"cannot read: {e.Message}");
        }
        return Parse(text, path);
    }

    /// <summary>Parses one YAML document from <paramref name="text"/>, naming it <paramref name="file"/> in errors.</summary>
    public static YamlCursor Parse(string text, string file)
    {
        YamlStream stream;
        try
        {
            stream = YamlLoader.Load(text);
        }
        catch (YamlSyntaxException e)
        {
            throw new YamlFileException(new SourcePosition(file, (int)e.Start.Line, (int)e.Start.Column), "", e.Message);
        }
        if (stream.Documents.Count != 1)
            throw new YamlFileException(new SourcePosition(file, 1, 1), "", stream.Documents.Count == 0 ? "file is empty" : "expected one YAML document, found several");
        return new YamlCursor(file, stream.Documents[0].RootNode, "");
    }

    public YamlFileException Error(string reason) => new(Position, KeyPath, reason);

    /// <summary>True for an explicit null (<c>~</c>, <c>null</c>, or nothing after the colon).</summary>
    public bool IsNull => Node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    /// <summary>The mapping's entries in file order, after rejecting keys not in <paramref name="known"/> (with a suggestion).</summary>
    public IReadOnlyDictionary<string, YamlCursor> Mapping(params string[] known)
    {
        var entries = MappingEntries();
        foreach (var (key, value) in entries)
        {
            if (known.Length > 0 && !known.Contains(key))
                throw new YamlFileException(value.KeyPosition, value.KeyPath, $"unknown key '{key}'{NearestName.Hint(key, known)}; expected one of: {string.Join(", ", known)}");
        }
        return entries;
    }

    /// <summary>The mapping's entries for user-chosen keys (command names, parameter names, variables).</summary>
    public Dictionary<string, YamlCursor> MappingEntries()
    {
        if (IsNull)
            return [];
        if (Node is not YamlMappingNode mapping)
            throw Error("expected a mapping (key: value lines)");
        var entries = new Dictionary<string, YamlCursor>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = keyNode is YamlScalarNode { Value: { Length: > 0 } k } ? k : throw new YamlCursor(File, keyNode, KeyPath).Error("keys must be plain names");
            entries[key] = new YamlCursor(File, valueNode, KeyPath.Length == 0 ? key : $"{KeyPath}.{key}") { KeyNode = keyNode };
        }
        return entries;
    }

    private YamlNode? KeyNode { get; init; }

    private SourcePosition KeyPosition => KeyNode is null ? Position : new(File, (int)KeyNode.Start.Line, (int)KeyNode.Start.Column);

    /// <summary>The items of a sequence; a single scalar counts as a one-item list, null as empty.</summary>
    public IReadOnlyList<YamlCursor> Items()
    {
        if (IsNull)
            return [];
        return Node switch
        {
            YamlSequenceNode sequence => sequence.Children.Select((n, i) => new YamlCursor(File, n, $"{KeyPath}[{i}]")).ToArray(),
            YamlScalarNode => [this],
            _ => throw Error("expected a list"),
        };
    }

    /// <summary>The scalar's text; null for an explicit null.</summary>
    public string? Text() => IsNull ? null : Node is YamlScalarNode scalar ? scalar.Value ?? "" : throw Error("expected a single value, not a list or mapping");

    public string RequiredText() => Text() ?? throw Error("a value is required");

    public IReadOnlyList<string> TextList() => Items().Select(i => i.RequiredText()).ToArray();

    public int Int(int min, int max)
    {
        var text = RequiredText();
        return int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw Error($"'{text}' is not a whole number from {min} to {max}");
    }

    public bool Bool() => RequiredText() switch
    {
        "true" or "True" or "yes" => true,
        "false" or "False" or "no" => false,
        var text => throw Error($"'{text}' is not true or false"),
    };

    public TimeSpan Duration(TimeSpan min)
    {
        var text = RequiredText();
        return DurationText.TryParse(text, out var value) && value >= min
            ? value
            : throw Error($"'{text}' is not {DurationText.Expected}" + (min > TimeSpan.Zero ? $" of at least {min.TotalMilliseconds}ms" : ""));
    }

    public long ByteSize(long min)
    {
        var text = RequiredText();
        return ByteSizeText.TryParse(text, out long value) && value >= min
            ? value
            : throw Error($"'{text}' is not {ByteSizeText.Expected} of at least {min} bytes");
    }
}
