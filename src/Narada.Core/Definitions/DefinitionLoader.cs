using Narada.Core.Contracts;
using Narada.Core.Formats;
using Narada.Core.Yaml;
using YamlDotNet.RepresentationModel;

namespace Narada.Core.Definitions;

/// <summary>
/// Loads every *.yaml / *.yml file under a config directory (recursively, skipping templates/ and hidden entries),
/// validates the documents as one set and returns it whole, or returns every error found.
/// </summary>
public static class DefinitionLoader
{
    public static LoadResult Load(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var errors = new List<YamlError>();
        if (!Directory.Exists(directory))
        {
            errors.Add(new YamlError(directory, 0, 0, "", "config directory not found"));
            return new LoadResult(null, errors);
        }

        var collected = new DefinitionCollection();
        foreach (var file in DefinitionFiles(directory))
        {
            var context = new DocumentContext(file, directory, errors);
            var text = context.ReadText();
            foreach (var (chunk, lineOffset) in text is null ? [] : DocumentChunks(text))
            {
                context.LineOffset = lineOffset;
                foreach (var document in Parse(chunk, context)?.Documents ?? [])
                {
                    collected.Add(document.RootNode, context);
                }
            }

            collected.References.AddRange(context.References);
        }

        collected.ResolveReferences(errors);
        var sorted = errors
            .Select((error, index) => (error, index))
            .OrderBy(e => e.error.File, StringComparer.Ordinal)
            .ThenBy(e => e.error.Line)
            .ThenBy(e => e.error.Column)
            .ThenBy(e => e.index)
            .Select(e => e.error)
            .ToArray();
        return sorted.Length == 0 ? new LoadResult(collected.ToSet(directory), sorted) : new LoadResult(null, sorted);
    }

    /// <summary>The definition files under <paramref name="directory"/>, in a stable order.</summary>
    public static IReadOnlyList<string> DefinitionFiles(string directory)
    {
        var files = new List<string>();
        var pending = new Stack<string>([directory]);
        while (pending.TryPop(out var current))
        {
            foreach (var entry in Directory.EnumerateFileSystemEntries(current))
            {
                var name = Path.GetFileName(entry);
                if (name.StartsWith('.'))
                {
                    continue;
                }

                if (Directory.Exists(entry))
                {
                    if (name != "templates" && (File.GetAttributes(entry) & FileAttributes.ReparsePoint) == 0)
                    {
                        pending.Push(entry);
                    }
                }
                else if (name.EndsWith(".yaml", StringComparison.Ordinal) || name.EndsWith(".yml", StringComparison.Ordinal))
                {
                    files.Add(entry);
                }
            }
        }

        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>
    /// Splits a file at its "---" lines so a syntax error in one document does not hide the errors of the others
    /// (YAML forbids "---" at the start of a line inside a scalar, so the split never cuts a value). Directives and
    /// comments before a "---" stay with the document that follows.
    /// </summary>
    internal static IEnumerable<(string Text, int LineOffset)> DocumentChunks(string text)
    {
        var lines = text.Split('\n');
        var start = 0;
        var hasContent = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var isStart = line.StartsWith("---", StringComparison.Ordinal) && (line.Length == 3 || line[3] is ' ' or '\t' or '\r');
            if (isStart && hasContent)
            {
                yield return (string.Join('\n', lines[start..i]), start);
                (start, hasContent) = (i, false);
            }

            var trimmed = line.TrimStart();
            hasContent |= !isStart && trimmed.Length > 0 && trimmed[0] is not ('#' or '%' or '\r');
            hasContent |= isStart && line.Length > 3 && line[3..].Trim().Length > 0 && !line[3..].TrimStart().StartsWith('#');
        }

        yield return (string.Join('\n', lines[start..]), start);
    }

    private static YamlStream? Parse(string text, DocumentContext context)
    {
        try
        {
            return YamlLoader.Load(text);
        }
        catch (YamlSyntaxException e)
        {
            context.Error(e.Start, "", e.Message);
            return null;
        }
    }
}
