using Narada.Core.Contracts;

namespace Narada.Agent.Apply;

/// <summary>The report of one apply: what happened, why, the diff and the commands' output.</summary>
public sealed record ApplyReport(ApplyOutcome Outcome, string Message)
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
