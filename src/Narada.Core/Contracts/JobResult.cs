using System.Text.Json.Serialization;
using Narada.Core.Formats;

namespace Narada.Core.Contracts;

/// <summary>An agent's answer to a <see cref="JobRequest"/>: WORK_COMPLETE payload and, when asked, a <c>narada.results</c> job.</summary>
public sealed record JobResult : IEnvelope
{
    /// <summary>The <c>type</c> value that marks a result on <c>narada.results</c>.</summary>
    public const string TypeName = "result";

    [JsonRequired]
    public int V { get; set; } = Envelope.Version;

    public string Type { get; set; } = TypeName;

    public required string Id { get; init; }

    public required DefinitionKind Kind { get; init; }

    public required string Name { get; init; }

    public required string Host { get; init; }

    public required string Plugin { get; init; }

    /// <summary>0–3 on the wire, as Nagios numbers them.</summary>
    public required CheckStatus Status { get; init; }

    public string Output { get; set; } = "";

    public string LongOutput { get; set; } = "";

    public IReadOnlyList<PerfDataItem> Perfdata { get; set; } = [];

    public IReadOnlyList<SampleItem> Samples { get; set; } = [];

    /// <summary>The process exit code; null when no process ran (unknown plugin, bad parameter, built-in collector).</summary>
    public int? ExitCode { get; set; }

    public DateTimeOffset? StartedAt { get; set; }

    public long? DurationMs { get; set; }

    /// <summary>Why the job could not run as asked (timeout, unknown plugin, invalid parameter); null when it ran.</summary>
    public string? Error { get; set; }

    /// <summary>Notes from parsing the plugin output (skipped perfdata items and the like).</summary>
    public IReadOnlyList<string> Notes { get; set; } = [];

    /// <summary>The result for <paramref name="request"/> run on <paramref name="host"/>; timings and exit code are the caller's to add with <c>with</c>.</summary>
    public static JobResult For(JobRequest request, string host, ParsedOutput output) => new()
    {
        Id = request.Id,
        Kind = request.Kind,
        Name = request.Name,
        Host = host,
        Plugin = request.Plugin,
        Status = output.Status,
        Output = output.Output,
        LongOutput = output.LongOutput,
        Perfdata = [.. output.PerfData.Select(PerfDataItem.From)],
        Samples = [.. output.Samples.Select(SampleItem.From)],
        Notes = output.Notes,
    };

    public string? FindProblem() =>
        Type != TypeName ? $"type is '{Type}', expected '{TypeName}'"
        : Kind is not (DefinitionKind.Check or DefinitionKind.Collector) ? $"kind {Kind} is neither check nor collect"
        : !Enum.IsDefined(Status) ? $"status {(int)Status} is not 0-3"
        : Perfdata.Any(p => p is null) ? "perfdata holds a null item"
        : Samples.Any(s => s is null || s.Labels.Any(l => l.Value is null)) ? "samples hold a null item or label value"
        : Notes.Any(n => n is null) ? "notes hold a null"
        : null;
}
