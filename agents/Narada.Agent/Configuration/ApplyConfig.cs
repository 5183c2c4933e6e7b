namespace Narada.Agent.Configuration;

/// <summary>Where the file-apply engine may write, and where it keeps the previous versions.</summary>
public sealed record ApplyConfig
{
    /// <summary>Absolute, normalised roots; a file may be applied only at or under one of them. Empty: apply is refused.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    public string BackupDir { get; init; } = "/var/lib/narada/backup";

    /// <summary>Absolute executables that validate and on_change commands may start (no shell). Empty: none may run.</summary>
    public IReadOnlyList<string> Commands { get; init; } = [];

    /// <summary>How long a validate or on_change command may run before it is killed.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
