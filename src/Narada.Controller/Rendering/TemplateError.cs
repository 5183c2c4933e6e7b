namespace Narada.Controller.Rendering;

/// <summary>Why a template did not render: which template file, where in it (1-based; 0 when the file itself is the problem), what.</summary>
public sealed record TemplateError(string Template, int Line, int Column, string Message)
{
    public override string ToString() =>
        Line > 0 ? $"{Template}({Line},{Column}): {Message}" : $"{Template}: {Message}";
}
