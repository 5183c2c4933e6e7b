using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Narada.Core.Yaml;

/// <summary>
/// One YAML file being read: its name and every error found in it so far, with positions. Readers report and go on, so
/// one pass names every problem; the caller decides whether any error makes the file unusable.
/// </summary>
public class YamlSource(string file, List<YamlError>? errors = null)
{
    /// <summary>Files larger than this are refused before parsing: real configuration is far smaller.</summary>
    public const long MaxFileBytes = 4 * 1024 * 1024;

    private readonly List<YamlError> _errors = errors ?? [];

    public string File { get; } = file;

    /// <summary>Lines of the file before the text being read; positions from the YAML parser are relative to it.</summary>
    public int LineOffset { get; set; }

    public IReadOnlyList<YamlError> Errors => _errors;

    public int ErrorCount => _errors.Count;

    /// <summary>A problem with the file as a whole (unreadable, too large): no position.</summary>
    public void FileError(string message) => _errors.Add(new YamlError(File, 0, 0, "", message));

    public void Error(Mark at, string keyPath, string message, string? suggestion = null) =>
        _errors.Add(new YamlError(File, (int)at.Line + LineOffset, (int)at.Column, keyPath, message, suggestion));

    public void Error(YamlNode at, string keyPath, string message, string? suggestion = null) =>
        Error(at.Start, keyPath, message, suggestion);

    /// <summary>Throws <see cref="YamlFileException"/> with every error when there is any.</summary>
    public void ThrowIfErrors()
    {
        if (_errors.Count > 0)
            throw new YamlFileException(_errors.ToArray());
    }

    /// <summary>The text of <see cref="File"/>, or null after recording why it cannot be read.</summary>
    public string? ReadText()
    {
        try
        {
            if (new FileInfo(File).Length > MaxFileBytes)
            {
                FileError($"file is larger than {MaxFileBytes / (1024 * 1024)} MiB");
                return null;
            }
            return System.IO.File.ReadAllText(File);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            FileError($"cannot read file: {e.Message}");
            return null;
        }
    }

    /// <summary>The root of the one document in <paramref name="text"/>, or null after recording a syntax error, an empty
    /// file or several documents.</summary>
    public YamlNode? ParseSingleDocument(string text)
    {
        YamlStream stream;
        try
        {
            stream = YamlLoader.Load(text);
        }
        catch (YamlSyntaxException e)
        {
            Error(e.Start, "", e.Message);
            return null;
        }
        if (stream.Documents.Count == 1)
            return stream.Documents[0].RootNode;
        Error(new Mark(0, 1, 1), "", stream.Documents.Count == 0 ? "file is empty" : "expected one YAML document, found several");
        return null;
    }

    /// <summary>Reads <paramref name="path"/> as one document: its root, or null with the reason recorded.</summary>
    public static (YamlSource Source, YamlNode? Root) LoadFile(string path)
    {
        var source = new YamlSource(path);
        return (source, source.ReadText() is { } text ? source.ParseSingleDocument(text) : null);
    }

    /// <summary>Reads <paramref name="text"/> (named <paramref name="file"/> in errors) as one document.</summary>
    public static (YamlSource Source, YamlNode? Root) Parse(string text, string file)
    {
        var source = new YamlSource(file);
        return (source, source.ParseSingleDocument(text));
    }
}
