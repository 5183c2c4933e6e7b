namespace Narada.Agent.Apply;

/// <summary>How an apply ended.</summary>
public enum ApplyResultKind
{
    /// <summary>The file was (or, on a dry run, would be) written or its mode/owner fixed.</summary>
    Changed,
    /// <summary>The file already had this content, mode and owner; nothing was touched.</summary>
    Unchanged,
    /// <summary>The request was not allowed or the new file did not validate; nothing was touched.</summary>
    Refused,
    /// <summary>An I/O error stopped the apply; the original file is untouched.</summary>
    Failed,
    /// <summary>The file was replaced, on_change failed, and the previous file was put back.</summary>
    RolledBack,
}

/// <summary>The report of one apply: what happened, why, the diff and the commands' output.</summary>
public sealed record ApplyOutcome(ApplyResultKind Outcome, string Message)
{
    /// <summary>Unified diff of the current file against the new content; empty when the content is the same.</summary>
    public string Diff { get; init; } = "";

    /// <summary>Combined output of the validate command, when it ran.</summary>
    public string? ValidateOutput { get; init; }

    /// <summary>Combined output of on_change; after a rollback, both runs, labelled.</summary>
    public string? OnChangeOutput { get; init; }

    public TimeSpan Duration { get; init; }

    /// <summary>Where the previous file was saved, when one was replaced.</summary>
    public string? BackupPath { get; init; }
}
