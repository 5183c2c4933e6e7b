using System.Text.Json.Serialization;
using Narada.Core.Contracts;

namespace Narada.Controller.Rollouts;

/// <summary>What one line of a rollout's progress says.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RolloutEventKind>))]
public enum RolloutEventKind
{
    /// <summary>The rollout could not start (no such apply, a bad batch size).</summary>
    [JsonStringEnumMemberName("error")] Error,
    [JsonStringEnumMemberName("started")] Started,
    [JsonStringEnumMemberName("batch")] Batch,
    /// <summary>One file on one host: its outcome.</summary>
    [JsonStringEnumMemberName("host")] Host,
    /// <summary>The last line: every batch ran.</summary>
    [JsonStringEnumMemberName("finished")] Finished,
    /// <summary>The last line: failures passed max_failures and the rest was skipped.</summary>
    [JsonStringEnumMemberName("stopped")] Stopped,
}

/// <summary>Where a rollout stands, as history keeps it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RolloutStatus>))]
public enum RolloutStatus
{
    [JsonStringEnumMemberName("running")] Running,
    [JsonStringEnumMemberName("finished")] Finished,
    [JsonStringEnumMemberName("stopped")] Stopped,
    /// <summary>Its controller stopped while it ran and nobody resumed it.</summary>
    [JsonStringEnumMemberName("interrupted")] Interrupted,
}

/// <summary>One line of a rollout's progress, as streamed to <c>narada apply</c> (NDJSON) and kept in history.</summary>
public sealed record RolloutEvent(
    [property: JsonPropertyName("event")] RolloutEventKind Event,
    [property: JsonPropertyName("rollout_id")] string RolloutId)
{
    [JsonPropertyName("apply")] public string Apply { get; init; } = "";
    [JsonPropertyName("host")] public string? Host { get; init; }
    [JsonPropertyName("path")] public string? Path { get; init; }
    [JsonPropertyName("outcome")] public ApplyOutcome? Outcome { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }
    [JsonPropertyName("diff")] public string? Diff { get; init; }
    [JsonPropertyName("batch")] public int? Batch { get; init; }
    [JsonPropertyName("batches")] public int? Batches { get; init; }
    [JsonPropertyName("hosts")] public IReadOnlyList<string>? Hosts { get; init; }
    [JsonPropertyName("dry_run")] public bool DryRun { get; init; }
    /// <summary>On the last line: hosts by outcome name (<c>changed</c>, <c>skipped</c>, ...).</summary>
    [JsonPropertyName("counts")] public IReadOnlyDictionary<string, int>? Counts { get; init; }

    /// <summary>True when this line reports a host that did not end with its file in place, or was not reached.</summary>
    [JsonIgnore] public bool IsProblem => Outcome is { } o && (o.IsFailure() || o == ApplyOutcome.Skipped);
}

/// <summary>What an operator asks of one rollout.</summary>
public sealed record RolloutRequest(string Apply)
{
    public bool DryRun { get; init; }
    /// <summary>Only these hosts (still intersected with the definition's targets); empty = all.</summary>
    public IReadOnlyList<string> Hosts { get; init; } = [];
    /// <summary>Only hosts carrying all of these tags; empty = all.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];
    /// <summary>Overrides the definition's batch size ("3" or "50%").</summary>
    public string? Batch { get; init; }
    /// <summary>How long to wait for one host's answer.</summary>
    public TimeSpan HostTimeout { get; init; } = TimeSpan.FromMinutes(2);
}

/// <summary>Source-generated JSON of rollout lines, shared by the controller that streams them and the CLI that reads them.</summary>
/// <summary>A rollout taken over from a member that died: its id and the hosts that member had already reached.</summary>
public sealed record RolloutResume(string Id, IReadOnlyCollection<string> Done);

[JsonSerializable(typeof(RolloutEvent))]
[JsonSerializable(typeof(RolloutRequest))]
public sealed partial class RolloutJsonContext : JsonSerializerContext;
