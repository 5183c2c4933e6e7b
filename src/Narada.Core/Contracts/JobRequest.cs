using System.Text.Json.Serialization;

namespace Narada.Core.Contracts;

/// <summary>The job payload sent to <c>narada.check@host</c> / <c>narada.collect@host</c>: run one plugin command.</summary>
public sealed record JobRequest : IEnvelope
{
    [JsonRequired]
    public int V { get; set; } = Envelope.Version;

    /// <summary>The run id, unique per submission, echoed in the result.</summary>
    public required string Id { get; init; }

    public required DefinitionKind Kind { get; init; }

    /// <summary>The definition name, e.g. <c>disk-root</c>.</summary>
    public required string Name { get; init; }

    /// <summary><c>plugin.command</c> from the agent's manifests, e.g. <c>nagios.check_disk</c>.</summary>
    public required string Plugin { get; init; }

    public IReadOnlyDictionary<string, string> Params { get; set; } = new Dictionary<string, string>();

    public int? TimeoutMs { get; set; }

    /// <summary>A function to also submit the result to as a background job, e.g. <c>narada.results</c>.</summary>
    public string? ReplyTo { get; set; }

    public DateTimeOffset? ScheduledAt { get; set; }

    public string? FindProblem() =>
        Kind is not (DefinitionKind.Check or DefinitionKind.Collector) ? $"kind {Kind} is neither check nor collect"
        : Id.Length == 0 ? "id is empty"
        : Name.Length == 0 ? "name is empty"
        : !Plugin.Contains('.', StringComparison.Ordinal) ? $"plugin '{Plugin}' is not plugin.command"
        : TimeoutMs is <= 0 ? $"timeout_ms {TimeoutMs} is not positive"
        : Params.Any(p => p.Value is null) ? "params has a null value"
        : null;
}
