using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Narada.Core.Definitions;

/// <summary>What parsing one YAML file needs: its name, the config directory, and where errors and name references go.</summary>
internal sealed class DocumentContext(string file, string configDirectory, List<DefinitionError> errors)
{
    public string File { get; } = file;

    public string ConfigDirectory { get; } = configDirectory;

    /// <summary>Lines of the file before the document being read; positions from the YAML parser are relative to it.</summary>
    public int LineOffset { get; set; }

    /// <summary>Names used by one definition that must exist as another (a check's handlers, a host's groups).</summary>
    public List<NameReference> References { get; } = [];

    public int ErrorCount => errors.Count;

    /// <summary>A problem with the file as a whole (unreadable, too large): no position.</summary>
    public void FileError(string message) => errors.Add(new DefinitionError(File, 0, 0, "", message));

    public void Error(Mark at, string keyPath, string message, string? suggestion = null) =>
        errors.Add(new DefinitionError(File, (int)at.Line + LineOffset, (int)at.Column, keyPath, message, suggestion));

    public void Error(YamlNode at, string keyPath, string message, string? suggestion = null) =>
        Error(at.Start, keyPath, message, suggestion);

    public DefinitionSource SourceOf(YamlNode node) => new(File, (int)node.Start.Line + LineOffset, (int)node.Start.Column);

    public void Reference(string kind, string name, YamlNode at, string keyPath) =>
        References.Add(new NameReference(kind, name, new DefinitionError(File, (int)at.Start.Line + LineOffset, (int)at.Start.Column, keyPath, "")));
}

/// <summary>A name written at <see cref="At"/> (an error template with the position) that must name an existing definition of <see cref="Kind"/>.</summary>
internal sealed record NameReference(string Kind, string Name, DefinitionError At);
