using System.Text;

namespace Narada.Core.Definitions;

/// <summary>One problem in the definitions, with its file, 1-based position (0 when it concerns a whole file), key path and a suggestion.</summary>
public sealed record DefinitionError(string File, int Line, int Column, string KeyPath, string Message, string? Suggestion = null)
{
    /// <summary>"file:line:col: key.path: message (did you mean 'x'?)", the form editors and CI logs can jump to.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(File);
        if (Line > 0)
        {
            text.Append(':').Append(Line).Append(':').Append(Column);
        }

        text.Append(": ");
        if (KeyPath.Length > 0)
        {
            text.Append(KeyPath).Append(": ");
        }

        text.Append(Message);
        if (Suggestion is not null)
        {
            text.Append(" (did you mean '").Append(Suggestion).Append("'?)");
        }

        return text.ToString();
    }
}
