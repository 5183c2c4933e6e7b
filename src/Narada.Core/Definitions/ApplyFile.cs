using Narada.Core.Contracts;
using Narada.Core.Yaml;

namespace Narada.Core.Definitions;

/// <summary>One file of an apply: where it goes, what it holds (a template or inline content) and how it is checked.</summary>
public sealed record ApplyFile(string Path)
{
    /// <summary>Scriban template path relative to the config directory; null when <see cref="Content"/> is set.</summary>
    public string? Template { get; init; }

    /// <summary>Inline content (itself rendered as a template); null when <see cref="Template"/> is set.</summary>
    public string? Content { get; init; }

    /// <summary>Permission bits to set; null keeps the existing file's mode (or the agent's default for a new file).</summary>
    public UnixFileMode? Mode { get; init; }

    public string? Owner { get; init; }

    public string? Group { get; init; }

    /// <summary>Command run on the new file before it replaces the old one; "%s" stands for the new file's path.</summary>
    public string? Validate { get; init; }

    /// <summary>Command run after the file changed (e.g. a reload); if it fails the old file is restored.</summary>
    public string? OnChange { get; init; }
}
