using System.Text;

namespace Narada.Core.Yaml;

/// <summary>One problem in a YAML file, with its file, 1-based position (0 when it concerns the whole file), key path and
/// a suggestion.</summary>
public sealed record YamlError(string File, int Line, int Column, string KeyPath, string Message, string? Suggestion = null)
{
    public SourcePosition Position => new(File, Line, Column);

    /// <summary>"key.path: message (did you mean 'x'?)": the error without its place.</summary>
    public string Reason => (KeyPath.Length > 0 ? $"{KeyPath}: " : "") + Message + (Suggestion is null ? "" : $" (did you mean '{Suggestion}'?)");

    /// <summary>"file:line:col: key.path: message (did you mean 'x'?)", the form editors and CI logs can jump to.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(File);
        if (Line > 0)
            text.Append(':').Append(Line).Append(':').Append(Column);
        return text.Append(": ").Append(Reason).ToString();
    }
}
