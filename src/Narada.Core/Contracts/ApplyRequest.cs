using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace Narada.Core.Contracts;

/// <summary>The job payload sent to <c>narada.apply@host</c>: put one rendered file in place, or only show the diff.</summary>
public sealed record ApplyRequest : IEnvelope
{
    [JsonRequired]
    public int V { get; set; } = Envelope.Version;

    public required string RolloutId { get; init; }

    /// <summary>Absolute path on the agent's host; the agent checks it against its apply paths.</summary>
    public required string Path { get; init; }

    /// <summary>The full new file content (UTF-8 text).</summary>
    public required string Content { get; init; }

    /// <summary>Lowercase hex SHA-256 of <see cref="Content"/>'s UTF-8 bytes, so truncation is detected.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Octal permissions such as <c>0644</c>; null keeps the existing file's.</summary>
    public string? Mode { get; set; }

    public string? Owner { get; set; }

    public string? Group { get; set; }

    /// <summary>A command run on the new file before it replaces the old, <c>%s</c> standing for its path.</summary>
    public string? Validate { get; set; }

    /// <summary>A command run after a change; if it fails the old file is put back.</summary>
    public string? OnChange { get; set; }

    public bool DryRun { get; set; }

    /// <summary>A function to also submit the <see cref="ApplyResult"/> to as a background job, e.g. <c>narada.results</c>.</summary>
    public string? ReplyTo { get; set; }

    /// <summary>The hex SHA-256 of a text's UTF-8 bytes, as <see cref="Sha256"/> carries it.</summary>
    public static string HashOf(string content) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));

    public bool ContentMatchesHash() => string.Equals(HashOf(Content), Sha256, StringComparison.OrdinalIgnoreCase);

    public string? FindProblem() =>
        RolloutId.Length == 0 ? "rollout_id is empty"
        : !System.IO.Path.IsPathRooted(Path) ? $"path '{Path}' is not absolute"
        : Sha256.Length != 64 || !Sha256.All(char.IsAsciiHexDigit) ? "sha256 is not 64 hex digits"
        : Mode is not null && (Mode.Length is < 3 or > 4 || !Mode.All(c => c is >= '0' and <= '7')) ? $"mode '{Mode}' is not octal like 0644"
        : null;
}
