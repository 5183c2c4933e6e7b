namespace Narada.Agent.Configuration;

/// <summary>Where the file-apply engine may write, and where it keeps the previous versions.</summary>
public sealed record ApplyConfig
{
    /// <summary>Absolute, normalised roots; a file may be applied only at or under one of them. Empty: apply is refused.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    public string BackupDir { get; init; } = "/var/lib/narada/backup";
}
