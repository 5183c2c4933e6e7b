using System.Text.Json.Serialization;

namespace Narada.Core.Contracts;

/// <summary>An agent's answer to an <see cref="ApplyRequest"/>.</summary>
public sealed record ApplyResult : IEnvelope
{
    public const string TypeName = "apply";

    [JsonRequired]
    public int V { get; set; } = Envelope.Version;

    /// <summary>Tells this message apart from results and heartbeats on <c>narada.results</c>.</summary>
    public string Type { get; set; } = TypeName;

    public required string RolloutId { get; init; }

    public required string Host { get; init; }

    public required string Path { get; init; }

    public required ApplyOutcome Outcome { get; init; }

    /// <summary>Unified diff from the old file to the new one; empty when unchanged.</summary>
    public string Diff { get; set; } = "";

    public string Message { get; set; } = "";

    public string? ValidateOutput { get; set; }

    public string? OnChangeOutput { get; set; }

    public long DurationMs { get; set; }

    public string? FindProblem() =>
        !Enum.IsDefined(Outcome) ? $"outcome {(int)Outcome} is not known"
        : Outcome == ApplyOutcome.Skipped ? "an agent does not answer skipped: only rollouts skip hosts"
        : null;
}
