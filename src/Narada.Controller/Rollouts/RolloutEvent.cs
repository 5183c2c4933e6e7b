using System.Text.Json.Serialization;

namespace Narada.Controller.Rollouts;

/// <summary>One line of a rollout's progress, as streamed to <c>narada apply</c> (NDJSON) and kept in history.</summary>
public sealed record RolloutEvent(
    [property: JsonPropertyName("event")] string Event,
    [property: JsonPropertyName("rollout_id")] string RolloutId)
{
    [JsonPropertyName("apply")] public string Apply { get; init; } = "";
    [JsonPropertyName("host")] public string? Host { get; init; }
    [JsonPropertyName("path")] public string? Path { get; init; }
    /// <summary>changed | unchanged | refused | failed | rolled_back | skipped.</summary>
    [JsonPropertyName("outcome")] public string? Outcome { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }
    [JsonPropertyName("diff")] public string? Diff { get; init; }
    [JsonPropertyName("batch")] public int? Batch { get; init; }
    [JsonPropertyName("batches")] public int? Batches { get; init; }
    [JsonPropertyName("hosts")] public IReadOnlyList<string>? Hosts { get; init; }
    [JsonPropertyName("dry_run")] public bool DryRun { get; init; }
    [JsonPropertyName("counts")] public IReadOnlyDictionary<string, int>? Counts { get; init; }
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

[JsonSerializable(typeof(RolloutEvent))]
[JsonSerializable(typeof(RolloutRequest))]
internal sealed partial class RolloutJsonContext : JsonSerializerContext;
