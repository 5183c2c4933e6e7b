namespace Narada.Agent.Apply;

/// <summary>One rendered file the controller asks this agent to put in place (or to preview with <see cref="DryRun"/>).</summary>
/// <param name="Path">Absolute target path.</param>
/// <param name="Content">The file's full text, written as UTF-8 without a byte order mark.</param>
/// <param name="Sha256">Lowercase or uppercase hex SHA-256 of the UTF-8 bytes of <paramref name="Content"/>.</param>
/// <param name="Mode">Octal permission bits such as "0644", or null to keep the current file's mode (0644 for a new file).</param>
/// <param name="Owner">User name, or null to keep the current owner.</param>
/// <param name="Group">Group name, or null to keep the current group.</param>
/// <param name="Validate">Command run on the new file before it replaces the old one; <c>%s</c> is the temp file's path.</param>
/// <param name="OnChange">Command run after the file changed; <c>%s</c> is the target path. Failure rolls the file back.</param>
/// <param name="DryRun">Report what would happen and the diff, touch nothing.</param>
public sealed record ApplySpec(
    string Path,
    string Content,
    string Sha256,
    string? Mode = null,
    string? Owner = null,
    string? Group = null,
    string? Validate = null,
    string? OnChange = null,
    bool DryRun = false);
