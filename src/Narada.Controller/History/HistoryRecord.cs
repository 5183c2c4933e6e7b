using Narada.Controller.Rollouts;
using Narada.Core.Contracts;
using Narada.Core.Formats;

namespace Narada.Controller.History;

/// <summary>One result as kept in history.</summary>
public sealed record ResultRecord(DateTimeOffset At, string Check, string Host, CheckStatus Status, string Output, double DurationMs);

/// <summary>Something that happened to a check or host: a state change, flapping, staleness, a host going down.</summary>
public sealed record EventRecord(DateTimeOffset At, string Kind, string Check, string Host, CheckStatus Previous,
    CheckStatus Current, string StateType, int Attempt, string Output);

/// <summary>The persisted part of a check's state, enough to resume after a restart.</summary>
public sealed record StateRecord(string Check, string Host, CheckStatus Status, CheckStatus HardStatus, string StateType,
    int Attempt, string Output, DateTimeOffset? LastResult, DateTimeOffset? LastOk, DateTimeOffset LastChange,
    DateTimeOffset LastHardChange);

/// <summary>A rollout's life: started, then finished, stopped or interrupted.</summary>
public sealed record RolloutRecord(string Id, string Apply, DateTimeOffset At, RolloutStatus Status, bool DryRun);

/// <summary>What one rollout did to one file on one host.</summary>
public sealed record RolloutHostRecord(string RolloutId, DateTimeOffset At, string Host, string Path, ApplyOutcome Outcome, string Message)
{
    /// <summary>The unified diff the agent answered with (what changed, or what a dry run would change); null for none.</summary>
    public string? Diff { get; init; }
}

/// <summary>Who did what when: a change (silence, apply), a login or a refused one.</summary>
public sealed record AuditRecord(DateTimeOffset At, string Actor, string Action, string Target, string Detail, string Address);

/// <summary>A dashboard login: stored under the SHA-256 of its cookie, so the store never holds a usable session id.</summary>
public sealed record SessionRecord(string Key, string User, string FormToken, DateTimeOffset Created, DateTimeOffset Expires, string Address);
