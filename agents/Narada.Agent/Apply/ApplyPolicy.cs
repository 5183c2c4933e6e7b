namespace Narada.Agent.Apply;

/// <summary>What this agent allows an apply to touch and run, from the agent's own configuration (never from the job).</summary>
public sealed record ApplyPolicy
{
    /// <summary>Directories a target must lie under, or single files it may be, after symlinks and <c>..</c> are resolved.</summary>
    public required IReadOnlyList<string> AllowedRoots { get; init; }

    /// <summary>Absolute executables that validate and on_change commands may start.</summary>
    public IReadOnlyList<string> AllowedCommands { get; init; } = [];

    /// <summary>Where the previous version of each replaced file is kept, mirrored by its path and timestamped.</summary>
    public required string BackupDirectory { get; init; }

    /// <summary>How long a validate or on_change command may run before its process tree is killed.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
