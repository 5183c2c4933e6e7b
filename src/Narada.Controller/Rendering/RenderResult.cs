namespace Narada.Controller.Rendering;

/// <summary>A rendered file and its sha256, or the errors that stopped it; never both.</summary>
public sealed record RenderResult
{
    private RenderResult(string? content, IReadOnlyList<TemplateError> errors)
    {
        Content = content;
        Errors = errors;
        Sha256 = content is null ? null : ContentHash.Sha256(content);
    }

    /// <summary>The rendered text, or null when rendering failed.</summary>
    public string? Content { get; }

    /// <summary>Lowercase hex SHA-256 of the UTF-8 bytes of <see cref="Content"/>, as the agent checks it.</summary>
    public string? Sha256 { get; }

    public IReadOnlyList<TemplateError> Errors { get; }

    public bool Succeeded => Content is not null;

    public static RenderResult Rendered(string content) => new(content, []);

    public static RenderResult Failed(IReadOnlyList<TemplateError> errors) =>
        errors.Count == 0 ? throw new ArgumentException("a failed render needs at least one error", nameof(errors)) : new(null, errors);
}
